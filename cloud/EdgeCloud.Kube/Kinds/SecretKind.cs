using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>core/v1 Secret: sensitive keys and values.</summary>
public static class SecretKind
{
    /// <summary>The Secret kind.</summary>
    public static KindDefinition Definition { get; } = new()
    {
        Defaulting = KindDefaults.Secret,
        Group = "",
        Version = "v1",
        Kind = "Secret",
        Plural = "secrets",
        Singular = "secret",
        Namespaced = true,
        Schema = MetaSchemas.KindObject(
            "Sensitive data such as passwords, tokens and keys, for pods to read as files or environment.",
            ("immutable", Schemas.Boolean("When true, data can never change; only metadata can.")),
            ("data", Schemas.MapOf(Schemas.Bytes(), "Values by key, base64 in JSON.")),
            // stringData is write-only: kube-apiserver merges it into data (stringData wins) and never returns it.
            ("stringData", Schemas.StringMap("Plain-text values by key, merged into data on write (overriding it) and never read back.")),
            ("type", Schemas.String("How the data is meant to be used, e.g. Opaque or kubernetes.io/tls.").WithDefault(JsonValue.Create("Opaque")))),
        PrinterColumns =
        [
            new()
            {
                Name = "Type",
                Description = "How the data is meant to be used.",
                Cell = (obj, _) => TableCells.Text(obj, "type") ?? "",
            },
            new()
            {
                Name = "Data",
                Type = "integer",
                Description = "Number of keys in data.",
                Cell = (obj, _) => DataKeys(obj),
            },
            TableCells.AgeColumn,
        ],
    };

    // The printer counts data after stringData was merged into it; an object not yet through that merge counts
    // each key once.
    private static int DataKeys(JsonObject obj)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in (string[])["data", "stringData"])
        {
            if (obj[field] is JsonObject map)
            {
                keys.UnionWith(map.Select(p => p.Key));
            }
        }

        return keys.Count;
    }
}
