using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;

namespace EdgeCloud.Kube.CustomResources;

/// <summary>
/// Causes worded as apimachinery's field.Error prints them ("Required value: ...", "Invalid value: \"x\": ...",
/// "Forbidden: ...", "Unsupported value: ...", "Duplicate value: ..."), so kubectl shows the messages users know.
/// </summary>
internal static class FieldErrors
{
    public static StatusCause Required(string field, string detail = "") =>
        new("FieldValueRequired", detail.Length == 0 ? "Required value" : $"Required value: {detail}", field);

    public static StatusCause Invalid(string field, JsonNode? value, string detail) =>
        new("FieldValueInvalid", $"Invalid value: {Show(value)}: {detail}", field);

    public static StatusCause Invalid(string field, string value, string detail) => Invalid(field, JsonValue.Create(value), detail);

    public static StatusCause Forbidden(string field, string detail) => new("FieldValueForbidden", $"Forbidden: {detail}", field);

    public static StatusCause NotSupported(string field, string value, IEnumerable<string> supported) =>
        new("FieldValueNotSupported",
            $"Unsupported value: \"{value}\": supported values: {string.Join(", ", supported.Select(static s => $"\"{s}\""))}", field);

    public static StatusCause Duplicate(string field, string value) => new("FieldValueDuplicate", $"Duplicate value: \"{value}\"", field);

    /// <summary>Strings quoted, other scalars as JSON, objects and arrays as compact JSON.</summary>
    private static string Show(JsonNode? value) => value?.ToJsonString() ?? "null";
}
