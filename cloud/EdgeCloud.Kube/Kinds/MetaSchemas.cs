using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>Placeholder for the shared metadata schemas (replaced at merge by the real declarations).</summary>
public static class MetaSchemas
{
    /// <summary>Object metadata (placeholder: keeps every field).</summary>
    public static SchemaNode ObjectMeta { get; } = Schemas.Object("Standard object metadata.") with { PreserveUnknownFields = true };

    /// <summary>A label selector (placeholder).</summary>
    public static SchemaNode LabelSelector { get; } = Schemas.Object(
        "A label query over a set of resources.",
        ("matchLabels", Schemas.StringMap("Labels that must all match.")),
        ("matchExpressions", Schemas.ListOf(Schemas.Object("A selector requirement.") with { PreserveUnknownFields = true }, "Requirements that must all match.")));

    /// <summary>An owner reference (placeholder).</summary>
    public static SchemaNode OwnerReference { get; } = Schemas.Object("An owning object.") with { PreserveUnknownFields = true };

    /// <summary>List metadata (placeholder).</summary>
    public static SchemaNode ListMeta { get; } = Schemas.Object("Standard list metadata.") with { PreserveUnknownFields = true };

    /// <summary>A metav1.Condition (placeholder).</summary>
    public static SchemaNode Condition { get; } = Schemas.Object(
        "One aspect of the current state.",
        ("type", Schemas.String("Condition type.")),
        ("status", Schemas.String("True, False or Unknown.")),
        ("observedGeneration", Schemas.Int64("Generation the condition was set for.")),
        ("lastTransitionTime", Schemas.DateTime("When the status last changed.")),
        ("reason", Schemas.String("Machine-readable reason.")),
        ("message", Schemas.String("Human-readable message.")))
        .Require("type", "status", "lastTransitionTime", "reason", "message");

    /// <summary>A top-level kind: apiVersion, kind and metadata, then <paramref name="properties"/>.</summary>
    public static SchemaNode KindObject(string description, params (string Name, SchemaNode Node)[] properties) =>
        Schemas.Object(
            description,
            [("apiVersion", Schemas.String("Versioned schema of this object.")), ("kind", Schemas.String("Kind of this object.")), ("metadata", ObjectMeta), .. properties]);
}
