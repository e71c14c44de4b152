using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Selectors;

/// <summary>
/// Reads field values from a JSON object the way kube-apiserver's GetAttrs functions format them from typed
/// objects: a missing string is "", a missing integer "0", a missing boolean "false".
/// </summary>
internal static class ObjectFieldValues
{
    public static JsonNode? At(JsonObject obj, IReadOnlyList<string> path)
    {
        JsonNode? node = obj;
        foreach (var segment in path)
        {
            if (node is not JsonObject parent || !parent.TryGetPropertyValue(segment, out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string Text(JsonObject obj, params string[] path) =>
        At(obj, path) is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : "";

    public static string Integer(JsonObject obj, params string[] path) =>
        At(obj, path) is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number)
            ? number.ToString(CultureInfo.InvariantCulture)
            : "0";

    public static string Boolean(JsonObject obj, params string[] path) =>
        At(obj, path) is JsonValue value && value.GetValueKind() == JsonValueKind.True ? "true" : "false";

    /// <summary>
    /// A CRD selectable field's value: strings as they are, booleans as "true"/"false", numbers as written,
    /// "" when missing (CRD validation only admits string, integer and boolean fields).
    /// </summary>
    public static string Any(JsonObject obj, IReadOnlyList<string> path) => At(obj, path) switch
    {
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => value.ToJsonString(),
            _ => "",
        },
        _ => "",
    };
}
