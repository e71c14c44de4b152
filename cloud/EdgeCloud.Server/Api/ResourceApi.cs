namespace EdgeCloud.Server.Api;

/// <summary>
/// The resource endpoints of a cluster: /api/v1/... for the core group and /apis/{group}/{version}/... for the
/// others, each resolved to a kind of the cluster's catalog and handed to <see cref="ResourceHandler"/>.
/// </summary>
internal static class ResourceApi
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>Maps the resource endpoints under <paramref name="clusters"/> (the /clusters/{cluster} group).</summary>
    public static void MapResourceApi(this IEndpointRouteBuilder clusters)
    {
        clusters.MapMethods("/api/v1/{**rest}", Methods, static (HttpContext context, string rest, ClusterKinds kinds, ResourceHandler handler) =>
            HandleAsync(context, "", "v1", rest, kinds, handler));
        clusters.MapMethods("/apis/{group}/{version}/{**rest}", Methods, static (HttpContext context, string group, string version, string rest, ClusterKinds kinds, ResourceHandler handler) =>
            HandleAsync(context, group, version, rest, kinds, handler));
    }

    private static async Task HandleAsync(HttpContext context, string group, string version, string rest, ClusterKinds kinds, ResourceHandler handler)
    {
        var catalog = await kinds.ForRequestAsync(context);
        var path = ApiPath.Parse(rest.Split('/')) ?? throw DiscoveryApi.NotFound();
        var kind = catalog.FindResource(group, version, path.Resource) ?? throw DiscoveryApi.NotFound();
        if (path.Namespace is not null && !kind.Namespaced)
        {
            throw DiscoveryApi.NotFound();
        }

        if (context.Features.Get<Nodes.NodeIdentity>() is { } node)
        {
            await context.RequestServices.GetRequiredService<Nodes.NodeAuthorizer>().AuthorizeAsync(context, node, kind, path);
        }

        await handler.HandleAsync(context, ClusterRequest.Of(context).Cluster, kind, path);
    }
}
