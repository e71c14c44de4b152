using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using EdgeCloud.Kube.Api;

namespace EdgeCloud.Server.Api;

/// <summary>
/// A cap on each cluster's requests in flight, as kube-apiserver's max-requests-inflight: beyond it a request is
/// refused at once with 429 and Retry-After, so that one tenant's burst cannot take every server thread and
/// clients back off (client-go retries 429 after Retry-After). Watches are long-running and not counted.
/// </summary>
internal sealed class InflightLimits(int perCluster = InflightLimits.DefaultPerCluster)
{
    /// <summary>Requests one cluster may have in flight: kube-apiserver's default for mutating plus read-only requests.</summary>
    public const int DefaultPerCluster = 600;

    /// <summary>Seconds the client is told to wait.</summary>
    public const int RetryAfterSeconds = 1;

    private readonly ConcurrentDictionary<string, ConcurrencyLimiter> _limiters = new(StringComparer.Ordinal);

    /// <summary>A lease for one request of <paramref name="cluster"/>; throws 429 when the cluster is at its cap.</summary>
    public RateLimitLease Acquire(string cluster)
    {
        var limiter = _limiters.GetOrAdd(cluster, _ => new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = perCluster, QueueLimit = 0 }));
        var lease = limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        throw new KubeApiException(429, "TooManyRequests", "Too many requests, please try again later.") { RetryAfterSeconds = RetryAfterSeconds };
    }

    /// <summary>True for a request that holds its connection open (a watch, logs, exec), which the cap does not count.</summary>
    public static bool IsLongRunning(HttpRequest request) =>
        (request.Query["watch"] is var w && (w == "true" || w == "1")) || NodeProxy.NodeProxyApi.IsStreaming(request);
}
