using EdgeCloud.Server.Security;

namespace EdgeCloud.Server.Api;

/// <summary>
/// What a read-only credential (a viewer's kubeconfig, group <see cref="ViewGroup"/>) may do, as Kubernetes'
/// built-in "view" ClusterRole: get, list and watch of everything except Secrets, and none of the subresources
/// that act inside a pod (exec, attach, port-forward, proxy). Anything else is 403 Forbidden, phrased as
/// kube-apiserver phrases an RBAC refusal.
/// </summary>
internal static class ReadOnlyAccess
{
    /// <summary>The group of read-only identities.</summary>
    public const string ViewGroup = "edgecloud:view";

    private static readonly HashSet<string> PodActions = ["exec", "attach", "portforward", "proxy"];

    /// <summary>Whether <paramref name="identity"/> is limited to reading.</summary>
    public static bool IsReadOnly(TokenIdentity identity) => identity.Groups.Contains(ViewGroup) && !identity.Groups.Contains("system:masters");

    /// <summary>
    /// Why a read-only identity may not make this request, or null when it may. <paramref name="segments"/> are
    /// the path's segments after /clusters/{cluster}.
    /// </summary>
    public static string? Refusal(TokenIdentity identity, string method, IReadOnlyList<string> segments)
    {
        var resource = Resource(segments);
        var verb = method switch
        {
            "GET" or "HEAD" => "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => method.ToLowerInvariant(),
        };
        var reading = verb == "get";
        if (resource is null)
        {
            // Discovery, OpenAPI, version: readable by anyone signed in.
            return reading ? null : $"User \"{identity.User}\" cannot {verb} path \"/{string.Join('/', segments)}\"";
        }

        var (group, path) = resource.Value;
        var name = path.Subresource is null ? path.Resource : path.Resource + "/" + path.Subresource;
        var refused = !reading
                      || (group.Length == 0 && path.Resource == "secrets")
                      || (path.Subresource is not null && PodActions.Contains(path.Subresource));
        if (!refused)
        {
            return null;
        }

        var scope = path.Namespace is null ? "at the cluster scope" : $"in the namespace \"{path.Namespace}\"";
        var what = path.Name is null ? name : $"{name} \"{path.Name}\"";
        return $"{what} is forbidden: User \"{identity.User}\" cannot {verb} resource \"{name}\" in API group \"{group}\" {scope}: this credential is read-only";
    }

    private static (string Group, ApiPath Path)? Resource(IReadOnlyList<string> segments)
    {
        if (segments.Count >= 3 && segments[0] == "api" && ApiPath.Parse([.. segments.Skip(2)]) is { } core)
        {
            return ("", core);
        }

        if (segments.Count >= 4 && segments[0] == "apis" && ApiPath.Parse([.. segments.Skip(3)]) is { } named)
        {
            return (segments[1], named);
        }

        return null;
    }
}
