using EdgeCloud.Kube.OpenApi;

namespace EdgeCloud.Server.Api;

/// <summary>/openapi/v3 and its per-group-version documents, and the protobuf /openapi/v2 older kubectl reads, generated from the cluster's kinds.</summary>
internal static class OpenApiApi
{
    /// <summary>Maps the OpenAPI endpoints under <paramref name="clusters"/> (the /clusters/{cluster} group).</summary>
    public static void MapOpenApiApi(this IEndpointRouteBuilder clusters)
    {
        clusters.MapGet("/openapi/v3", static async (HttpContext context, ClusterKinds kinds) =>
        {
            var catalog = await kinds.ForRequestAsync(context);
            await ResourceHandler.WriteJsonAsync(context, 200, OpenApiDocuments.Index(catalog.All, DiscoveryApi.KubernetesVersion));
        });
        clusters.MapGet("/openapi/v2", static async (HttpContext context, ClusterKinds kinds) =>
        {
            var catalog = await kinds.ForRequestAsync(context);
            context.Response.ContentType = OpenApiV2Protobuf.MediaType;
            await context.Response.Body.WriteAsync(OpenApiV2Protobuf.Build(catalog.All, DiscoveryApi.KubernetesVersion), context.RequestAborted);
        });
        clusters.MapGet("/openapi/v3/api/{version}", static (HttpContext context, string version, ClusterKinds kinds) => WriteGroupVersionAsync(context, "", version, kinds));
        clusters.MapGet("/openapi/v3/apis/{group}/{version}", static (HttpContext context, string group, string version, ClusterKinds kinds) => WriteGroupVersionAsync(context, group, version, kinds));
    }

    private static async Task WriteGroupVersionAsync(HttpContext context, string group, string version, ClusterKinds kinds)
    {
        var catalog = await kinds.ForRequestAsync(context);
        var document = OpenApiDocuments.GroupVersion(catalog.All, group, version, DiscoveryApi.KubernetesVersion) ?? throw DiscoveryApi.NotFound();
        // The index URL carries a content hash, so a client may cache each document until the hash changes.
        if (context.Request.Query.ContainsKey("hash"))
        {
            context.Response.Headers.CacheControl = "public, immutable";
        }

        await ResourceHandler.WriteJsonAsync(context, 200, document);
    }
}
