using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>Placeholder for the Pod schemas (replaced at merge by the real declarations).</summary>
public static class PodSchemas
{
    /// <summary>Pod spec (placeholder: keeps every field).</summary>
    public static SchemaNode PodSpec { get; } = Schemas.Object("Pod specification.") with { PreserveUnknownFields = true };

    /// <summary>Pod status (placeholder: keeps every field).</summary>
    public static SchemaNode PodStatus { get; } = Schemas.Object("Pod status.") with { PreserveUnknownFields = true };

    /// <summary>A container (placeholder: keeps every field).</summary>
    public static SchemaNode Container { get; } = Schemas.Object("A container.") with { PreserveUnknownFields = true };

    /// <summary>A volume (placeholder: keeps every field).</summary>
    public static SchemaNode Volume { get; } = Schemas.Object("A volume.") with { PreserveUnknownFields = true };

    /// <summary>A pod template.</summary>
    public static SchemaNode PodTemplateSpec { get; } = Schemas.Object(
        "Pods created from this template.", ("metadata", MetaSchemas.ObjectMeta), ("spec", PodSpec));

    /// <summary>The Pod kind (placeholder).</summary>
    public static KindDefinition Pod { get; } = new()
    {
        Group = "",
        Version = "v1",
        Kind = "Pod",
        Plural = "pods",
        Singular = "pod",
        Namespaced = true,
        ShortNames = ["po"],
        Categories = ["all"],
        Subresources = ["status"],
        Schema = MetaSchemas.KindObject("A pod.", ("spec", PodSpec), ("status", PodStatus)),
    };
}
