using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Schema;

/// <summary>
/// One node of a kind's schema: OpenAPI v3 structural schema plus the Kubernetes extensions that drive merging.
/// Everything generic (validation, defaulting, strategic merge patch, server-side apply field sets, OpenAPI,
/// explain) is derived from these nodes; built-in kinds declare them in code, CRDs convert their openAPIV3Schema.
/// Immutable: derive variants with <c>with</c> or the <see cref="Schemas"/> helpers.
/// </summary>
public sealed record SchemaNode
{
    /// <summary>The JSON shape accepted.</summary>
    public required SchemaType Type { get; init; }

    /// <summary>OpenAPI format: int32, int64, double, date-time, byte, ...</summary>
    public string? Format { get; init; }

    /// <summary>What the field means, shown by <c>kubectl explain</c>.</summary>
    public string? Description { get; init; }

    /// <summary>Declared properties of an object, in declaration order.</summary>
    public IReadOnlyDictionary<string, SchemaNode> Properties { get; init; } = EmptyProperties;

    /// <summary>Properties an object must have.</summary>
    public IReadOnlySet<string> Required { get; init; } = EmptyNames;

    /// <summary>Item schema of an array.</summary>
    public SchemaNode? Items { get; init; }

    /// <summary>Value schema of a map (an object with arbitrary keys).</summary>
    public SchemaNode? AdditionalProperties { get; init; }

    /// <summary>Value set when the field is absent (applied on create and update, before validation).</summary>
    public JsonNode? Default { get; init; }

    /// <summary>Allowed values of a string, when restricted.</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    /// <summary>Whether JSON null is accepted as a value (otherwise a null field is dropped, as Kubernetes does).</summary>
    public bool Nullable { get; init; }

    /// <summary>x-kubernetes-list-type of an array. Defaults to <see cref="ListType.Atomic"/>.</summary>
    public ListType ListType { get; init; } = ListType.Atomic;

    /// <summary>x-kubernetes-list-map-keys: the keys identifying an item of a <see cref="ListType.Map"/> list.</summary>
    public IReadOnlyList<string> ListMapKeys { get; init; } = [];

    /// <summary>
    /// x-kubernetes-patch-strategy of a field for strategic merge patch: "merge", "retainKeys", "merge,retainKeys"
    /// or "replace". Null means the default: lists are replaced, maps are merged.
    /// </summary>
    public string? PatchStrategy { get; init; }

    /// <summary>x-kubernetes-patch-merge-key: the item field identifying list items merged by strategic merge patch.</summary>
    public string? PatchMergeKey { get; init; }

    /// <summary>x-kubernetes-map-type atomic: the object is replaced as a whole, not merged field by field.</summary>
    public bool AtomicMap { get; init; }

    /// <summary>x-kubernetes-preserve-unknown-fields: fields not declared are kept rather than pruned or refused.</summary>
    public bool PreserveUnknownFields { get; init; }

    /// <summary>x-kubernetes-embedded-resource: the value is a whole object with apiVersion, kind and metadata.</summary>
    public bool EmbeddedResource { get; init; }

    /// <summary>Inclusive lower bound of a number.</summary>
    public double? Minimum { get; init; }

    /// <summary>Inclusive upper bound of a number.</summary>
    public double? Maximum { get; init; }

    /// <summary>Shortest string accepted, in characters.</summary>
    public int? MinLength { get; init; }

    /// <summary>Longest string accepted, in characters.</summary>
    public int? MaxLength { get; init; }

    /// <summary>ECMA regular expression a string must match.</summary>
    public string? Pattern { get; init; }

    /// <summary>Fewest items of an array.</summary>
    public int? MinItems { get; init; }

    /// <summary>Most items of an array.</summary>
    public int? MaxItems { get; init; }

    /// <summary>True for an object used as a map of arbitrary keys.</summary>
    public bool IsMap => Type == SchemaType.Object && AdditionalProperties is not null;

    /// <summary>The declared property <paramref name="name"/>, or the map value schema, or null when unknown.</summary>
    public SchemaNode? Property(string name) =>
        Properties.TryGetValue(name, out var node) ? node : AdditionalProperties;

    private static readonly IReadOnlyDictionary<string, SchemaNode> EmptyProperties = new Dictionary<string, SchemaNode>();
    private static readonly IReadOnlySet<string> EmptyNames = new HashSet<string>();
}
