using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.CustomResources;

/// <summary>One entry of a CRD's spec.versions, with the kind it serves and what the server needs beyond it.</summary>
public sealed record CustomResourceVersion
{
    /// <summary>Version name, e.g. "v1".</summary>
    public required string Name { get; init; }

    /// <summary>Whether the version is served; only served versions appear in discovery and accept requests.</summary>
    public required bool Served { get; init; }

    /// <summary>Whether objects are persisted in this version; exactly one version of a valid CRD is.</summary>
    public required bool Storage { get; init; }

    /// <summary>Whether requests get a deprecation warning.</summary>
    public bool Deprecated { get; init; }

    /// <summary>
    /// The warning for a deprecated version: the CRD's deprecationWarning, or kube-apiserver's default
    /// "&lt;group&gt;/&lt;version&gt; &lt;Kind&gt; is deprecated". Null when the version is not deprecated.
    /// </summary>
    public string? DeprecationWarning { get; init; }

    /// <summary>The kind this version serves: names, scope, schema, subresources and printer columns.</summary>
    public required KindDefinition Kind { get; init; }

    /// <summary>The scale subresource, when declared.</summary>
    public CustomResourceScale? Scale { get; init; }
}
