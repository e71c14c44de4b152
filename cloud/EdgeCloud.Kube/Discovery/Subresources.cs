namespace EdgeCloud.Kube.Discovery;

/// <summary>
/// What discovery reports for each subresource kube-apiserver serves: its verbs and the kind it answers with
/// (null kind: the parent's kind; empty: no object, e.g. log streams text).
/// </summary>
public static class Subresources
{
    /// <summary>Verbs and response (group, version, kind) of <paramref name="name"/>; null when unknown.</summary>
    public static (IReadOnlyList<string> Verbs, (string Group, string Version, string Kind)? Response)? Describe(string name) => name switch
    {
        "status" => (["get", "patch", "update"], null),
        "scale" => (["get", "patch", "update"], ("autoscaling", "v1", "Scale")),
        "binding" => (["create"], ("", "v1", "Binding")),
        "eviction" => (["create"], ("policy", "v1", "Eviction")),
        "log" => (["get"], ("", "v1", "Pod")),
        "exec" or "attach" or "portforward" => (["create", "get"], ("", "v1", "PodExecOptions")),
        "ephemeralcontainers" => (["get", "patch", "update"], null),
        "proxy" => (["create", "delete", "get", "patch", "update"], ("", "v1", "PodProxyOptions")),
        "finalize" => (["update"], null),
        "token" => (["create"], ("authentication.k8s.io", "v1", "TokenRequest")),
        _ => null,
    };
}
