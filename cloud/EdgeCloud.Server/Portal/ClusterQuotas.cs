using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Store;
using EdgeCloud.Tenancy;

namespace EdgeCloud.Server.Portal;

/// <summary>
/// Enforces a tenant cluster's plan: requests per second (a token bucket per cluster; 429 with Retry-After),
/// concurrent watches (429), nodes and stored objects (403 "exceeded quota", as a Kubernetes ResourceQuota refuses
/// a create, checked on every create whoever makes it). Limits are per replica for the rate and the watches
/// (each replica serves its share of a cluster's clients); nodes and objects are counted in the datastore. Objects
/// in kube-system and kube-node-lease and Events are not counted: they are the cluster's own machinery (leases,
/// node passwords), and refusing them would break the cluster rather than limit it.
/// </summary>
internal sealed class ClusterQuotas(ClusterPlans plans, IRevisionedStore store, TimeProvider time) : ICreateQuota, IDisposable
{
    /// <summary>How long an object count is reused (creates made here are added to it meanwhile).</summary>
    public static readonly TimeSpan CountFor = TimeSpan.FromSeconds(5);

    private static readonly HashSet<string> SystemNamespaces = ["kube-system", "kube-node-lease"];

    private readonly PartitionedRateLimiter<(string Cluster, Plan Plan)> _rates = PartitionedRateLimiter.Create<(string Cluster, Plan Plan), string>(
        static resource => RateLimitPartition.GetTokenBucketLimiter(resource.Cluster + "/" + resource.Plan.Name, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = resource.Plan.RequestBurst,
            TokensPerPeriod = resource.Plan.RequestsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    private readonly ConcurrentDictionary<string, StrongBox<int>> _watches = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Count, DateTimeOffset Until)> _objects = new(StringComparer.Ordinal);

    /// <summary>Takes one request of the cluster's rate; 429 when its bucket is empty.</summary>
    public void TakeRequest(string cluster, Plan plan)
    {
        using var lease = _rates.AttemptAcquire((cluster, plan));
        if (!lease.IsAcquired)
        {
            var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
            throw new KubeApiException(429, "TooManyRequests", $"cluster {cluster} is over its plan's request rate ({plan.RequestsPerSecond} requests/s, bursts of {plan.RequestBurst}; plan \"{plan.Name}\"): retry after {retry} s") { RetryAfterSeconds = retry };
        }
    }

    /// <summary>Holds one of the cluster's watches until disposed; 429 when all are taken.</summary>
    public IDisposable TakeWatch(string cluster, Plan plan)
    {
        var count = _watches.GetOrAdd(cluster, static _ => new StrongBox<int>());
        if (Interlocked.Increment(ref count.Value) > plan.MaxWatchesPerCluster)
        {
            Interlocked.Decrement(ref count.Value);
            throw new KubeApiException(429, "TooManyRequests", $"cluster {cluster} has {plan.MaxWatchesPerCluster} watches open, the most its plan (\"{plan.Name}\") allows: close one, or retry later") { RetryAfterSeconds = 5 };
        }

        return new WatchLease(count);
    }

    /// <inheritdoc />
    public async Task CheckAsync(string cluster, KindDefinition kind, string? ns, CancellationToken cancellationToken)
    {
        if (await plans.PlanOfAsync(cluster, cancellationToken) is not { } plan)
        {
            return;
        }

        if (kind.Group.Length == 0 && kind.Plural == "nodes")
        {
            var nodes = await store.CountAsync(cluster, ObjectKeys.Prefix(kind, null), cancellationToken);
            if (nodes >= plan.MaxNodesPerCluster)
            {
                throw Exceeded(kind, $"plan \"{plan.Name}\" allows {plan.MaxNodesPerCluster} nodes per cluster and this cluster has {nodes}");
            }
        }

        if ((ns is not null && SystemNamespaces.Contains(ns)) || kind.Plural == "events")
        {
            return;
        }

        var now = time.GetUtcNow();
        var (counted, until) = _objects.TryGetValue(cluster, out var cached) && cached.Until > now
            ? cached
            : (await store.CountAsync(cluster, "/", cancellationToken), now + CountFor);
        if (counted >= plan.MaxObjectsPerCluster)
        {
            _objects[cluster] = (counted, until);
            throw Exceeded(kind, $"plan \"{plan.Name}\" allows {plan.MaxObjectsPerCluster} objects per cluster and this cluster has {counted}");
        }

        _objects[cluster] = (counted + 1, until);
    }

    public void Dispose() => _rates.Dispose();

    private static KubeApiException Exceeded(KindDefinition kind, string why) =>
        new(403, "Forbidden", $"{kind.Plural} is forbidden: exceeded quota: {why}");

    private sealed class WatchLease(StrongBox<int> count) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref count.Value);
            }
        }
    }
}
