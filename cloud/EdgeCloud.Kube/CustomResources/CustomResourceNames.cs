using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.CustomResources;

/// <summary>
/// The names of a custom resource (spec.names, or status.acceptedNames) with kube-apiserver's defaults applied:
/// singular is the lowercased kind and listKind is kind + "List" when unset.
/// </summary>
public sealed record CustomResourceNames
{
    /// <summary>Resource name in URLs, e.g. "crontabs".</summary>
    public required string Plural { get; init; }

    /// <summary>Singular name, e.g. "crontab".</summary>
    public required string Singular { get; init; }

    /// <summary>Kind, e.g. "CronTab".</summary>
    public required string Kind { get; init; }

    /// <summary>Kind of lists, e.g. "CronTabList".</summary>
    public required string ListKind { get; init; }

    /// <summary>Short names for kubectl.</summary>
    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>Categories, e.g. "all".</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Reads a names object (spec.names or status.acceptedNames), applying the defaults.</summary>
    public static CustomResourceNames From(JsonObject? names)
    {
        var kind = CrdJson.String(names, "kind") ?? "";
        var singular = CrdJson.String(names, "singular");
        var listKind = CrdJson.String(names, "listKind");
        return new CustomResourceNames
        {
            Plural = CrdJson.String(names, "plural") ?? "",
            // SetDefaults_CustomResourceDefinitionSpec: singular = strings.ToLower(kind), listKind = kind + "List".
            Singular = string.IsNullOrEmpty(singular) ? kind.ToLowerInvariant() : singular,
            Kind = kind,
            ListKind = string.IsNullOrEmpty(listKind) && kind.Length > 0 ? kind + "List" : listKind ?? "",
            ShortNames = CrdJson.Strings(names, "shortNames"),
            Categories = CrdJson.Strings(names, "categories"),
        };
    }

    /// <summary>The spec.names of a CRD object, defaulted.</summary>
    public static CustomResourceNames FromDefinition(JsonObject crd) => From(CrdJson.Object(CrdJson.Object(crd, "spec"), "names"));

    /// <summary>The names as a JSON object, in the shape of spec.names and status.acceptedNames.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["plural"] = Plural,
            ["singular"] = Singular,
        };
        if (ShortNames.Count > 0)
        {
            json["shortNames"] = new JsonArray([.. ShortNames.Select(static s => (JsonNode?)JsonValue.Create(s))]);
        }

        json["kind"] = Kind;
        json["listKind"] = ListKind;
        if (Categories.Count > 0)
        {
            json["categories"] = new JsonArray([.. Categories.Select(static s => (JsonNode?)JsonValue.Create(s))]);
        }

        return json;
    }
}
