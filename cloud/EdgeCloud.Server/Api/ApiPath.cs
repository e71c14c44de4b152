namespace EdgeCloud.Server.Api;

/// <summary>
/// A resource path under /api/v1 or /apis/{group}/{version}, split as kube-apiserver's RequestInfo does:
/// [namespaces/{ns}/]{resource}[/{name}[/{subresource}]]. "namespaces/{name}/status" and ".../finalize" are the
/// namespace object's subresources, not a namespaced resource called "status".
/// </summary>
internal sealed record ApiPath(string? Namespace, string Resource, string? Name, string? Subresource)
{
    private static readonly HashSet<string> NamespaceSubresources = ["status", "finalize"];

    /// <summary>Parses the segments after the group-version; null when the shape is not a resource path.</summary>
    public static ApiPath? Parse(IReadOnlyList<string> parts)
    {
        string? ns = null;
        var rest = parts;
        if (rest.Count >= 3 && rest[0] == "namespaces" && !NamespaceSubresources.Contains(rest[2]))
        {
            ns = rest[1];
            rest = [.. rest.Skip(2)];
        }

        if (rest.Count is < 1 or > 3 || rest.Any(static p => p.Length == 0))
        {
            return null;
        }

        return new ApiPath(ns, rest[0], rest.Count > 1 ? rest[1] : null, rest.Count > 2 ? rest[2] : null);
    }
}
