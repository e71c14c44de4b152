using EdgeCloud.Server.Security;

namespace EdgeCloud.Server.Api;

/// <summary>The cluster a request under /clusters/{cluster}/ is addressed to, and who made it (set once authenticated).</summary>
/// <param name="Cluster">The cluster id from the path.</param>
/// <param name="Identity">The bearer token's identity, bound to <paramref name="Cluster"/>.</param>
internal sealed record ClusterRequest(string Cluster, TokenIdentity Identity)
{
    /// <summary>The request's cluster; only endpoints behind <see cref="ClusterApiMiddleware"/> may ask.</summary>
    public static ClusterRequest Of(HttpContext context) =>
        context.Features.Get<ClusterRequest>() ?? throw new InvalidOperationException("the request did not pass cluster authentication");
}
