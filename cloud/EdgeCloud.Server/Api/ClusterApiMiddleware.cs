using EdgeCloud.Kube.Api;
using EdgeCloud.Server.Security;
using EdgeCloud.Store;

namespace EdgeCloud.Server.Api;

/// <summary>
/// The gate of every cluster API request (/clusters/{cluster}/...): the bearer token must be valid and bound to
/// that cluster (else 401, so that one cluster's credentials reveal nothing of another), and every failure
/// leaves as a metav1.Status with the right code, including paths no endpoint serves.
/// </summary>
internal sealed partial class ClusterApiMiddleware(
    RequestDelegate next, BearerTokens tokens, InflightLimits limits, Portal.ClusterPlans plans, Portal.ClusterQuotas quotas, ILogger<ClusterApiMiddleware> logger)
{
    /// <summary>Path prefix of the cluster APIs.</summary>
    public const string Prefix = "/clusters/";

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        // Routing matches paths without regard to case, so the gate must too: "/Clusters/x/..." reaches the same
        // endpoints and must not pass unauthenticated (it once did, and failed with a 500 for want of a caller).
        if (!path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        try
        {
            var segments = path[Prefix.Length..].Split('/');
            var cluster = segments[0];
            var identity = await AuthenticateAsync(context, cluster);
            if (ReadOnlyAccess.IsReadOnly(identity) && ReadOnlyAccess.Refusal(identity, context.Request.Method, [.. segments.Skip(1).Where(static s => s.Length > 0)]) is { } refusal)
            {
                throw new KubeApiException(403, "Forbidden", refusal);
            }

            context.Features.Set(new ClusterRequest(cluster, identity));
            if (context.GetEndpoint() is null)
            {
                throw DiscoveryApi.NotFound();
            }

            using var watchLease = await TakePlanLimitsAsync(context, cluster);
            if (InflightLimits.IsLongRunning(context.Request))
            {
                await next(context);
            }
            else
            {
                using var lease = limits.Acquire(cluster);
                await next(context);
            }
        }
        catch (Exception error) when (!context.Response.HasStarted && ToApiError(error) is { } apiError)
        {
            if (apiError.Code >= 500)
            {
                LogFailed(logger, context.Request.Method, path, error);
            }

            await StatusResponses.WriteAsync(context, apiError);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
    }

    /// <summary>
    /// A tenant cluster's plan: one request of its rate, and for a watch one of its concurrent watches (the
    /// returned lease, held while the watch lasts). Null for clusters without a plan, and for requests that are not watches.
    /// </summary>
    private async Task<IDisposable?> TakePlanLimitsAsync(HttpContext context, string cluster)
    {
        if (await plans.PlanOfAsync(cluster, context.RequestAborted) is not { } plan)
        {
            return null;
        }

        quotas.TakeRequest(cluster, plan);
        return context.Request.Query["watch"] is var watch && (watch == "true" || watch == "1") ? quotas.TakeWatch(cluster, plan) : null;
    }

    /// <summary>
    /// The caller's identity for <paramref name="cluster"/>: 401 without a valid credential; 403 for a valid one of
    /// another cluster (whether or not <paramref name="cluster"/> exists, so the answer reveals nothing of it).
    /// </summary>
    private async Task<TokenIdentity> AuthenticateAsync(HttpContext context, string cluster)
    {
        // A request on an agent's tunnel stream is the node's, whatever headers it sends, and only for its cluster.
        if (context.Features.Get<Nodes.NodeIdentity>() is { } node)
        {
            return node.Cluster == cluster ? node.ToTokenIdentity() : throw OtherCluster(cluster);
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && await tokens.FindAsync(header[scheme.Length..].Trim(), context.RequestAborted) is { } identity)
        {
            return identity.Cluster == cluster ? identity : throw OtherCluster(cluster);
        }

        throw new KubeApiException(401, "Unauthorized", "Unauthorized");
    }

    private static KubeApiException OtherCluster(string cluster) =>
        new(403, "Forbidden", $"this credential is not valid for cluster \"{cluster}\"");

    /// <summary>The Status an exception becomes; null for a cancelled request.</summary>
    private static KubeApiException? ToApiError(Exception error) => error switch
    {
        KubeApiException api => api,
        OperationCanceledException => null,
        BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge =>
            new KubeApiException(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"),
        BadHttpRequestException bad => KubeApiException.BadRequest(bad.Message),
        RevisionCompactedException compacted => KubeApiException.Expired($"too old resource version: {compacted.RequestedRevision} ({compacted.CompactRevision})"),
        // The store refuses values over its limit (1.5 MiB, etcd's default request size); etcd-backed servers fail such writes too.
        InvalidStoreRequestException { Parameter: "value" } invalid =>
            new KubeApiException(413, "RequestEntityTooLarge", "Request entity too large: the stored object " + invalid.Message),
        InvalidStoreRequestException { Parameter: "continue" } =>
            KubeApiException.BadRequest("invalid continue token"),
        _ => new KubeApiException(500, "InternalError", $"Internal error occurred: {error.GetType().Name}"),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, string method, string path, Exception error);
}
