using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Server.Nodes;
using EdgeCloud.Tunnel;

namespace EdgeCloud.Server.NodeProxy;

/// <summary>
/// Resolves a pods/log, pods/exec or pods/portforward request to a container and its node's tunnel, and opens the node stream. Every
/// failure is a <see cref="KubeApiException"/> with kube-apiserver's wording where it has one.
/// </summary>
internal sealed class PodStreamTargets(ResourceStore objects, NodeTunnels tunnels, NodeAuthorizer nodeAuthorizer, TimeProvider timeProvider)
{
    /// <summary>The annotation kubectl (and this server) use to pick a pod's container when none is named.</summary>
    public const string DefaultContainerAnnotation = "kubectl.kubernetes.io/default-container";

    /// <summary>How long an agent may take to accept a stream: 30 seconds.</summary>
    public static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A node's own credentials (an agent's API connection) get 403 for pods/log and pods/exec, as kube-apiserver's
    /// Node authorizer refuses a kubelet: these routes bypass the generic resource route, so they ask the authorizer here.
    /// </summary>
    public async Task AuthorizeAsync(HttpContext context, string ns, string name, string subresource)
    {
        if (context.Features.Get<NodeIdentity>() is { } node)
        {
            await nodeAuthorizer.AuthorizeAsync(context, node, PodSchemas.Pod, new Api.ApiPath(ns, "pods", name, subresource));
        }
    }

    /// <summary>Reads the pod, picks the container and finds the node's live session.</summary>
    public Task<PodStreamTarget> ResolveAsync(string cluster, string ns, string name, string? container, CancellationToken cancellationToken) =>
        ResolveAsync(cluster, ns, name, pod => ChooseContainer(pod, name, container), cancellationToken);

    /// <summary>
    /// As <see cref="ResolveAsync(string, string, string, string?, CancellationToken)"/> for a request about the whole
    /// pod (port-forward: its containers share one network), naming its first container for the agent to find it by.
    /// </summary>
    public Task<PodStreamTarget> ResolvePodAsync(string cluster, string ns, string name, CancellationToken cancellationToken) =>
        ResolveAsync(cluster, ns, name, pod => NamesOf(pod["spec"]?["containers"]).FirstOrDefault() ?? throw KubeApiException.BadRequest($"pod {name} has no containers"), cancellationToken);

    private async Task<PodStreamTarget> ResolveAsync(string cluster, string ns, string name, Func<JsonObject, string> chooseContainer, CancellationToken cancellationToken)
    {
        var pod = await objects.TryGetAsync(cluster, PodSchemas.Pod, ns, name, cancellationToken)
            ?? throw KubeApiException.NotFound("", "pods", name);
        var chosen = chooseContainer(pod);
        var node = pod["spec"]?["nodeName"]?.GetValue<string>();
        if (string.IsNullOrEmpty(node))
        {
            throw KubeApiException.BadRequest($"pod {name} does not have a host assigned");
        }

        if (!tunnels.TryGetSession(cluster, node, out var session))
        {
            throw NodeNotConnected(node);
        }

        var uid = pod["metadata"]?["uid"]?.GetValue<string>() ?? "";
        return new PodStreamTarget(ns, name, uid, chosen, node, session);
    }

    /// <summary>Opens the node stream; a refusal becomes 400 with the agent's reason as the message.</summary>
    public async Task<TunnelStream> OpenAsync(PodStreamTarget target, byte[] header, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(OpenTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await target.Session.OpenStreamAsync(header, linked.Token);
        }
        catch (TunnelStreamRefusedException refused)
        {
            throw KubeApiException.BadRequest(refused.Reason);
        }
        catch (TunnelSessionClosedException)
        {
            throw NodeNotConnected(target.Node);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new KubeApiException(504, "Timeout", $"the agent of node \"{target.Node}\" did not answer within {OpenTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// The container a request means: the named one, else the default-container annotation's, else the only one.
    /// The errors are kube-apiserver's (pkg/registry/core/pod/strategy.go, validateContainer).
    /// </summary>
    internal static string ChooseContainer(JsonObject pod, string podName, string? requested)
    {
        var spec = pod["spec"] as JsonObject;
        var regular = NamesOf(spec?["containers"]);
        var all = NamesOf(spec?["initContainers"]).Concat(regular).Concat(NamesOf(spec?["ephemeralContainers"])).ToList();
        if (!string.IsNullOrEmpty(requested))
        {
            return all.Contains(requested, StringComparer.Ordinal)
                ? requested
                : throw KubeApiException.BadRequest($"container {requested} is not valid for pod {podName}");
        }

        if (pod["metadata"]?["annotations"]?[DefaultContainerAnnotation]?.GetValue<string>() is { Length: > 0 } annotated && all.Contains(annotated, StringComparer.Ordinal))
        {
            return annotated;
        }

        return regular.Count switch
        {
            1 => regular[0],
            0 => throw KubeApiException.BadRequest($"a container name must be specified for pod {podName}"),
            _ => throw KubeApiException.BadRequest($"a container name must be specified for pod {podName}, choose one of: [{string.Join(' ', all)}]"),
        };
    }

    private static List<string> NamesOf(JsonNode? containers) =>
        containers is JsonArray array
            ? [.. array.Select(static c => c?["name"]?.GetValue<string>()).OfType<string>()]
            : [];

    private static KubeApiException NodeNotConnected(string node) =>
        new(503, "ServiceUnavailable", $"node \"{node}\" is not connected: its agent has no live tunnel to the control plane");
}
