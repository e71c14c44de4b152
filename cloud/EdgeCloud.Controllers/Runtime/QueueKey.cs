using System.Text.Json.Nodes;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Runtime;

/// <summary>The key a controller queues a namespaced object under, "{namespace}/{name}", as client-go's MetaNamespaceKeyFunc.</summary>
public static class QueueKey
{
    /// <summary>The key of <paramref name="obj"/>.</summary>
    public static string Of(JsonObject obj) => Of(obj.Metadata().GetString("namespace") ?? "", obj.Metadata().GetString("name")!);

    /// <summary>The key of the object <paramref name="name"/> in <paramref name="ns"/>.</summary>
    public static string Of(string ns, string name) => ns + "/" + name;

    /// <summary>Namespace and name of a key made by <see cref="Of(string, string)"/>.</summary>
    public static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }
}
