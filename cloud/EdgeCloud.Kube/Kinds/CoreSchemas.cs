using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>Small core/v1 types several kinds embed: object references.</summary>
public static class CoreSchemas
{
    /// <summary>core/v1 ObjectReference: enough to find any object, or a field within one.</summary>
    public static SchemaNode ObjectReference { get; } = Schemas.Object(
        "A reference to an object, possibly to a field within it.",
        ("kind", Schemas.String("Kind of the referenced object.")),
        ("namespace", Schemas.String("Namespace of the referenced object.")),
        ("name", Schemas.String("Name of the referenced object.")),
        ("uid", Schemas.String("UID of the referenced object.")),
        ("apiVersion", Schemas.String("API version of the referenced object.")),
        ("resourceVersion", Schemas.String("Resource version of the referenced object, when a specific one is meant.")),
        ("fieldPath", Schemas.String("Path to a part of the object, e.g. spec.containers{name}, when the reference is to a part.")))
        with { AtomicMap = true };

    /// <summary>core/v1 LocalObjectReference: an object by name in the same namespace.</summary>
    public static SchemaNode LocalObjectReference { get; } = Schemas.Object(
        "A reference to an object by name in the same namespace.",
        ("name", Schemas.String("Name of the referenced object.")))
        with { AtomicMap = true };
}
