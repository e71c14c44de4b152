using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Selectors;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Server.Api;

namespace EdgeCloud.Server.Nodes;

/// <summary>
/// What a node's own credentials reach, as kube-apiserver's Node authorizer and NodeRestriction admission allow a
/// kubelet: its Node (and status), its Lease in kube-node-lease, the pods bound to it (watched with
/// fieldSelector spec.nodeName=&lt;node&gt;; read, status written, deletion finished), the ConfigMaps and Secrets
/// those pods reference, and Events. Anything else is 403, so one compromised edge device cannot read or change
/// the rest of its cluster.
/// </summary>
internal sealed class NodeAuthorizer(ResourceStore objects, ClusterKinds kinds)
{
    /// <summary>The namespace of node heartbeat Leases.</summary>
    public const string LeaseNamespace = "kube-node-lease";

    /// <summary>Throws a 403 Status unless <paramref name="node"/> may make this request.</summary>
    public async Task AuthorizeAsync(HttpContext context, NodeIdentity node, KindDefinition kind, ApiPath path)
    {
        var request = context.Request;
        var verb = Verb(request, path);
        var allowed = (kind.Group, kind.Plural) switch
        {
            ("", "nodes") => path.Name is not null
                ? path.Name == node.Node && path.Subresource is null or "status"
                : verb == "create" ? await BodyNameAsync(request) == node.Node : SelectsExactly(request, "metadata.name", node.Node),
            ("coordination.k8s.io", "leases") => path.Namespace == LeaseNamespace
                && (path.Name is not null ? path.Name == node.Node && path.Subresource is null : verb == "create" && await BodyNameAsync(request) == node.Node),
            ("", "pods") => path.Name is null
                ? verb is "list" or "watch" && SelectsExactly(request, "spec.nodeName", node.Node)
                : path.Subresource is null or "status" && verb is not "create" && await PodIsBoundToAsync(node, path.Namespace!, path.Name, context.RequestAborted),
            ("", "configmaps") or ("", "secrets") => verb == "get" && path.Name is not null
                && await ReferencedByBoundPodAsync(node, kind.Plural, path.Namespace!, path.Name, context.RequestAborted),
            ("", "events") or ("events.k8s.io", "events") => verb is "create" or "patch",
            _ => false,
        };
        if (!allowed)
        {
            throw Forbidden(node, verb, kind, path);
        }
    }

    private static string Verb(HttpRequest request, ApiPath path) => (request.Method, path.Name) switch
    {
        ("GET", null) when request.Query["watch"] is [var w] && w is "true" or "1" => "watch",
        ("GET", null) => "list",
        ("GET", _) => "get",
        ("POST", _) => "create",
        ("PUT", _) => "update",
        ("PATCH", _) => "patch",
        ("DELETE", null) => "deletecollection",
        ("DELETE", _) => "delete",
        _ => request.Method.ToLowerInvariant(),
    };

    /// <summary>The fieldSelector pins <paramref name="field"/> to exactly <paramref name="value"/>.</summary>
    private static bool SelectsExactly(HttpRequest request, string field, string value)
    {
        try
        {
            return FieldSelector.Parse(request.Query["fieldSelector"].ToString()).TryGetExactValue(field, out var selected) && selected == value;
        }
        catch (SelectorException)
        {
            return false;
        }
    }

    /// <summary>metadata.name of a JSON request body, read without consuming it; null when it has none.</summary>
    private static async Task<string?> BodyNameAsync(HttpRequest request)
    {
        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: ResourceHandler.MaxBodyBytes);
        try
        {
            var body = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return body?["metadata"]?["name"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private async Task<bool> PodIsBoundToAsync(NodeIdentity node, string ns, string name, CancellationToken cancellationToken)
    {
        var pod = await objects.TryGetAsync(node.Cluster, Pods, ns, name, cancellationToken);
        // A pod that is gone passes, so the agent gets its 404 (and learns the pod went) instead of a 403.
        return pod is null || NodeNameOf(pod) == node.Node;
    }

    private async Task<bool> ReferencedByBoundPodAsync(NodeIdentity node, string plural, string ns, string name, CancellationToken cancellationToken)
    {
        var bound = await objects.ListAsync(node.Cluster, Pods, ns, 0, null, 0, pod => NodeNameOf(pod) == node.Node, cancellationToken);
        return bound.Items.Any(pod => PodReferences.Of(pod, plural).Contains(name));
    }

    private KindDefinition Pods => kinds.BuiltIn.FindResource("", "v1", "pods") ?? throw new InvalidOperationException("the Pod kind is not declared");

    private static string? NodeNameOf(JsonObject pod) => (pod["spec"] as JsonObject)?["nodeName"]?.GetValue<string>();

    private static KubeApiException Forbidden(NodeIdentity node, string verb, KindDefinition kind, ApiPath path)
    {
        var where = path.Namespace is null ? "" : $" in the namespace \"{path.Namespace}\"";
        var resource = path.Subresource is null ? kind.Plural : kind.Plural + "/" + path.Subresource;
        var why = $"User \"{node.UserName}\" cannot {verb} resource \"{resource}\" in API group \"{kind.Group}\"{where}: a node may reach only its own Node and Lease, the pods bound to it and what they reference";
        if (path.Name is null)
        {
            var qualified = kind.Group.Length == 0 ? kind.Plural : kind.Plural + "." + kind.Group;
            return new KubeApiException(403, "Forbidden", $"{qualified} is forbidden: {why}", new StatusDetails { Group = kind.Group, Kind = kind.Plural });
        }

        return KubeApiException.Forbidden(kind.Group, kind.Plural, path.Name, why);
    }
}
