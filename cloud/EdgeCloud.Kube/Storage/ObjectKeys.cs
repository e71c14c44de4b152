using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Storage;

/// <summary>
/// Where an object lives in the revisioned store: <c>/{group}/{plural}/{namespace}/{name}</c>, or
/// <c>/{group}/{plural}/{name}</c> for cluster-scoped kinds, with "core" for the core group. A kind's objects
/// share one prefix, and a namespace's objects of one kind share a longer one, so list and watch are range reads.
/// </summary>
public static class ObjectKeys
{
    /// <summary>The key of one object.</summary>
    public static string Key(KindDefinition kind, string? ns, string name) => Prefix(kind, ns) + name;

    /// <summary>The prefix of a kind's objects in <paramref name="ns"/>, or in all namespaces when null.</summary>
    public static string Prefix(KindDefinition kind, string? ns)
    {
        var group = kind.Group.Length == 0 ? "core" : kind.Group;
        return kind.Namespaced && ns is not null ? $"/{group}/{kind.Plural}/{ns}/" : $"/{group}/{kind.Plural}/";
    }

    /// <summary>Namespace and name from a key under <see cref="Prefix"/>(kind, null).</summary>
    public static (string? Namespace, string Name) Parse(KindDefinition kind, string key)
    {
        var rest = key[Prefix(kind, null).Length..];
        if (!kind.Namespaced)
        {
            return (null, rest);
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return (rest[..slash], rest[(slash + 1)..]);
    }
}
