using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.CustomResources;

/// <summary>
/// Tolerant reads of a CRD's JSON. The generic schema check of the CRD kind reports wrong types; these readers
/// only have to never throw on them, so a wrong type reads as absent.
/// </summary>
internal static class CrdJson
{
    public static JsonObject? Object(JsonNode? node, string name) =>
        node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) ? value as JsonObject : null;

    public static JsonArray? Array(JsonNode? node, string name) =>
        node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) ? value as JsonArray : null;

    public static string? String(JsonNode? node, string name) =>
        node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) && value is JsonValue v && v.TryGetValue<string>(out var text)
            ? text
            : null;

    public static bool Bool(JsonNode? node, string name) =>
        node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) && value is JsonValue v
            && v.GetValueKind() == JsonValueKind.True;

    public static bool Has(JsonNode? node, string name) => node is JsonObject obj && obj.ContainsKey(name);

    public static double? Number(JsonNode? node, string name) =>
        node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) && value is JsonValue v && TryNumber(v, out var n) ? n : null;

    public static int? Int(JsonNode? node, string name) => Number(node, name) is { } n ? (int)Math.Clamp(n, int.MinValue, int.MaxValue) : null;

    public static IReadOnlyList<string> Strings(JsonNode? node, string name) =>
        Array(node, name) is { } array
            ? [.. array.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>()]
            : [];

    /// <summary>Reads a JSON number whether it was parsed (JsonElement) or built in code (int, long, double).</summary>
    public static bool TryNumber(JsonValue value, out double number)
    {
        number = 0;
        return value.GetValueKind() == JsonValueKind.Number
            && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }
}
