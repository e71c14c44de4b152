using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Discovery;
using EdgeCloud.Server.Hosting;

namespace EdgeCloud.Server.Api;

/// <summary>
/// /version and the discovery documents of a cluster (/api, /apis, /api/v1, /apis/{group}[/{version}]), which
/// kubectl reads before anything else and caches.
/// </summary>
internal static class DiscoveryApi
{
    /// <summary>The Kubernetes version whose API EdgeCloud serves; kubectl warns when it is more than one minor away.</summary>
    public const string KubernetesVersion = "v1.33.0";

    /// <summary>Maps the discovery endpoints under <paramref name="clusters"/> (the /clusters/{cluster} group).</summary>
    public static void MapDiscoveryApi(this IEndpointRouteBuilder clusters)
    {
        clusters.MapGet("/version", static (HttpContext context) => ResourceHandler.WriteJsonAsync(context, 200, VersionInfo()));
        clusters.MapGet("/api", static (HttpContext context, ClusterKinds kinds) =>
            Discovery(context, aggregatedCore: true, kinds, static (request, _) => DiscoveryDocuments.CoreVersions(request.Host.Value ?? "")));
        clusters.MapGet("/apis", static (HttpContext context, ClusterKinds kinds) =>
            Discovery(context, aggregatedCore: false, kinds, static (_, catalog) => DiscoveryDocuments.GroupList(catalog)));
        clusters.MapGet("/api/v1", static async (HttpContext context, ClusterKinds kinds) =>
        {
            var catalog = await kinds.ForRequestAsync(context);
            await ResourceHandler.WriteJsonAsync(context, 200, DiscoveryDocuments.ResourceList(catalog.All, "", "v1"));
        });
        clusters.MapGet("/apis/{group}", static async (HttpContext context, string group, ClusterKinds kinds) =>
        {
            var catalog = await kinds.ForRequestAsync(context);
            var document = DiscoveryDocuments.GroupDocument(catalog.All, group) ?? throw NotFound();
            await ResourceHandler.WriteJsonAsync(context, 200, document);
        });
        clusters.MapGet("/apis/{group}/{version}", static async (HttpContext context, string group, string version, ClusterKinds kinds) =>
        {
            var catalog = await kinds.ForRequestAsync(context);
            if (!catalog.ServesGroupVersion(group, version))
            {
                throw NotFound();
            }

            await ResourceHandler.WriteJsonAsync(context, 200, DiscoveryDocuments.ResourceList(catalog.All, group, version));
        });
    }

    /// <summary>The 404 kube-apiserver gives for a path it does not serve.</summary>
    public static KubeApiException NotFound() => new(404, "NotFound", "the server could not find the requested resource");

    private static async Task Discovery(HttpContext context, bool aggregatedCore, ClusterKinds kinds, Func<HttpRequest, IEnumerable<Kube.Schema.KindDefinition>, JsonObject> legacy)
    {
        var catalog = await kinds.ForRequestAsync(context);
        if (AcceptHeader.AggregatedDiscoveryVersion(context.Request) is { } version)
        {
            context.Response.Headers.Vary = "Accept";
            await ResourceHandler.WriteJsonAsync(
                context, 200, DiscoveryDocuments.Aggregated(catalog.All, aggregatedCore, version),
                $"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList");
            return;
        }

        AcceptHeader.RequireJson(context.Request);
        await ResourceHandler.WriteJsonAsync(context, 200, legacy(context.Request, catalog.All));
    }

    private static JsonObject VersionInfo()
    {
        var parts = KubernetesVersion.TrimStart('v').Split('.');
        return new JsonObject
        {
            ["major"] = parts[0],
            ["minor"] = parts[1],
            ["gitVersion"] = KubernetesVersion + "+edgecloud",
            ["gitCommit"] = BuildInfo.Commit,
            ["gitTreeState"] = "clean",
            ["buildDate"] = BuildInfo.Date,
            ["goVersion"] = "dotnet" + Environment.Version,
            ["compiler"] = "dotnet",
            ["platform"] = $"{(OperatingSystem.IsLinux() ? "linux" : "unknown")}/{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}",
        };
    }
}
