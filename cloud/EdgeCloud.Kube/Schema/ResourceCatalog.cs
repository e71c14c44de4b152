namespace EdgeCloud.Kube.Schema;

/// <summary>
/// The kinds one cluster serves, found by URL (group, version, plural) or by kind. Built-in kinds are shared by
/// every cluster; custom resources join per cluster when their CRD is created.
/// </summary>
public sealed class ResourceCatalog
{
    private readonly Dictionary<(string Group, string Version, string Plural), KindDefinition> _byResource = [];
    private readonly Dictionary<(string Group, string Version, string Kind), KindDefinition> _byKind = [];

    /// <summary>Creates a catalog of <paramref name="kinds"/>.</summary>
    public ResourceCatalog(IEnumerable<KindDefinition> kinds)
    {
        foreach (var kind in kinds)
        {
            _byResource.Add((kind.Group, kind.Version, kind.Plural), kind);
            _byKind.Add((kind.Group, kind.Version, kind.Kind), kind);
        }

        All = [.. _byResource.Values];
    }

    /// <summary>Every served kind.</summary>
    public IReadOnlyList<KindDefinition> All { get; }

    /// <summary>The kind served at /{group}/{version}/{plural}, or null.</summary>
    public KindDefinition? FindResource(string group, string version, string plural) =>
        _byResource.GetValueOrDefault((group, version, plural));

    /// <summary>The kind named by apiVersion and kind, or null.</summary>
    public KindDefinition? FindKind(string group, string version, string kind) =>
        _byKind.GetValueOrDefault((group, version, kind));

    /// <summary>True when some version of <paramref name="group"/> is served.</summary>
    public bool ServesGroup(string group) => All.Any(k => k.Group == group);

    /// <summary>True when <paramref name="group"/>/<paramref name="version"/> is served.</summary>
    public bool ServesGroupVersion(string group, string version) => All.Any(k => k.Group == group && k.Version == version);
}
