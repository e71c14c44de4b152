namespace EdgeCloud.Server.NodeProxy;

/// <summary>
/// The pod subresources served by a node's agent through its tunnel: pods/log, pods/exec and pods/portforward. Their routes are more
/// specific than the generic resource route (/api/v1/{**rest}), so routing picks them first.
/// </summary>
internal static class NodeProxyApi
{
    /// <summary>Maps the endpoints under <paramref name="clusters"/> (the /clusters/{cluster} group).</summary>
    public static void MapNodeProxyApi(this IEndpointRouteBuilder clusters)
    {
        clusters.MapGet("/api/v1/namespaces/{namespace}/pods/{name}/log", static (HttpContext context, string @namespace, string name, PodLogProxy proxy) =>
            proxy.HandleAsync(context, @namespace, name));
        clusters.MapMethods("/api/v1/namespaces/{namespace}/pods/{name}/exec", ["GET", "POST"], static (HttpContext context, string @namespace, string name, PodExecProxy proxy) =>
            proxy.HandleAsync(context, @namespace, name));
        clusters.MapMethods("/api/v1/namespaces/{namespace}/pods/{name}/portforward", ["GET", "POST"], static (HttpContext context, string @namespace, string name, PodPortForwardProxy proxy) =>
            proxy.HandleAsync(context, @namespace, name));
    }

    /// <summary>Adds the services of these endpoints.</summary>
    public static IServiceCollection AddNodeProxy(this IServiceCollection services) => services
        .AddSingleton<PodStreamTargets>()
        .AddSingleton<PodLogProxy>()
        .AddSingleton<PodExecProxy>()
        .AddSingleton<PodPortForwardProxy>()
        .AddSingleton<ExecRelay>();

    /// <summary>True for the requests of these endpoints, which hold their connection as long as the stream lasts.</summary>
    public static bool IsStreaming(HttpRequest request) =>
        request.Path.Value is { } path && (path.EndsWith("/log", StringComparison.Ordinal) || path.EndsWith("/exec", StringComparison.Ordinal) || path.EndsWith("/portforward", StringComparison.Ordinal)) && path.Contains("/pods/", StringComparison.Ordinal);
}
