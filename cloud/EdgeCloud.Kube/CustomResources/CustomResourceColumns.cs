using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.CustomResources;

/// <summary>
/// Printer columns of a custom resource, computed as apiextensions-apiserver's table convertor does
/// (pkg/registry/customresource/tableconvertor): the first value the column's JSONPath selects, formatted by the
/// column type; nothing selected, or a value of another type, is an empty cell.
/// </summary>
internal static class CustomResourceColumns
{
    /// <summary>
    /// The column kube-apiserver adds when a version declares no additionalPrinterColumns: the age from
    /// metadata.creationTimestamp.
    /// </summary>
    public static PrinterColumn DefaultAge { get; } = Column(
        "Age", "date", "", "Time since the object was created, from metadata.creationTimestamp.", 0,
        CustomResourceJsonPath.Parse(".metadata.creationTimestamp"));

    /// <summary>The columns of spec.versions[].additionalPrinterColumns, or the Age column when there are none.</summary>
    public static IReadOnlyList<PrinterColumn> FromVersion(JsonObject? version)
    {
        var declared = CrdJson.Array(version, "additionalPrinterColumns");
        if (declared is null || declared.Count == 0)
        {
            return [DefaultAge];
        }

        var columns = new List<PrinterColumn>();
        foreach (var column in declared.OfType<JsonObject>())
        {
            if (CrdJson.String(column, "jsonPath") is { } text && CustomResourceJsonPath.TryParse(text, out var path, out _))
            {
                columns.Add(Column(
                    CrdJson.String(column, "name") ?? "",
                    CrdJson.String(column, "type") ?? "string",
                    CrdJson.String(column, "format") ?? "",
                    CrdJson.String(column, "description") ?? "",
                    CrdJson.Int(column, "priority") ?? 0,
                    path!));
            }
        }

        return columns;
    }

    private static PrinterColumn Column(string name, string type, string format, string description, int priority, CustomResourceJsonPath path) => new()
    {
        Name = name,
        Type = type,
        Format = format,
        Description = description,
        Priority = priority,
        Cell = (obj, now) => Cell(type, path.Select(obj), now),
    };

    /// <summary>The cell of a column of <paramref name="type"/> from the values its path selected.</summary>
    public static JsonNode? Cell(string type, IReadOnlyList<JsonNode?> selected, DateTimeOffset now)
    {
        // Simple paths select one value; a wildcard or filter may select several and the convertor shows the first.
        if (selected is not [var first, ..] || first is null)
        {
            return null;
        }

        var kind = first.GetValueKind();
        switch (type)
        {
            case "string":
                // The convertor prints string columns through the JSONPath printer: text as is, other values as JSON.
                return first is JsonValue text && text.TryGetValue<string>(out var s) ? s : first.ToJsonString();
            case "integer" when first is JsonValue v && CrdJson.TryNumber(v, out var n):
                // A fractional number in an integer column is truncated, as Go's int64(float64) conversion does.
                return JsonValue.Create((long)n);
            case "number" when first is JsonValue v && CrdJson.TryNumber(v, out var n):
                return JsonValue.Create(n);
            case "boolean" when kind is JsonValueKind.True or JsonValueKind.False:
                return JsonValue.Create(kind == JsonValueKind.True);
            case "date" when first is JsonValue v && v.TryGetValue<string>(out var time):
                // metav1.Time parses "" as the zero time, which prints "<unknown>"; any other unreadable time "<invalid>".
                if (time.Length == 0)
                {
                    return "<unknown>";
                }

                return KubeDuration.TryParseTimestamp(time, out var at) && IsRfc3339(time)
                    ? KubeDuration.Human(now - at)
                    : "<invalid>";
            default:
                return null;
        }
    }

    private static bool IsRfc3339(string time) =>
        time.Length >= 20 && time[4] == '-' && time[7] == '-' && time[10] is 'T' or 't'
        && DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);
}
