using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>core/v1 ConfigMap: non-secret configuration as keys and values.</summary>
public static class ConfigMapKind
{
    /// <summary>The ConfigMap kind.</summary>
    public static KindDefinition Definition { get; } = new()
    {
        Group = "",
        Version = "v1",
        Kind = "ConfigMap",
        Plural = "configmaps",
        Singular = "configmap",
        Namespaced = true,
        ShortNames = ["cm"],
        Schema = MetaSchemas.KindObject(
            "Configuration data as keys and values, for pods to read as files or environment.",
            ("immutable", Schemas.Boolean("When true, data and binaryData can never change; only metadata can.")),
            ("data", Schemas.StringMap("UTF-8 values by key. Keys are letters, digits, '-', '_' or '.'.")),
            ("binaryData", Schemas.MapOf(Schemas.Bytes(), "Binary values by key, base64 in JSON. Keys must not also appear in data."))),
        PrinterColumns =
        [
            new()
            {
                Name = "Data",
                Type = "integer",
                Description = "Number of keys in data and binaryData.",
                Cell = (obj, _) => TableCells.Count(obj, "data") + TableCells.Count(obj, "binaryData"),
            },
            TableCells.AgeColumn,
        ],
    };
}
