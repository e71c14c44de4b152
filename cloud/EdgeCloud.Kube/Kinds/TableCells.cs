using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>
/// Reading object fields for table cells, and the cell formats kube-apiserver's printers share
/// (k8s.io/kubernetes/pkg/printers/internalversion/printers.go): ages, label and selector strings, container lists.
/// </summary>
internal static class TableCells
{
    /// <summary>What the printers show for an empty value that has no natural zero.</summary>
    public const string None = "<none>";

    /// <summary>What the printers show when a time is missing or a field is unset where a value is expected.</summary>
    public const string Unknown = "<unknown>";

    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var name in path)
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(name, out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string? Text(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static long Number(JsonNode? node, params string[] path)
    {
        // A JsonValue built in code keeps its CLR type (int, long, ...) and one parsed keeps a JsonElement, so
        // TryGetValue<long> misses some numbers: read the JSON text instead.
        if (At(node, path) is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return 0;
        }

        return double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? (long)number : 0;
    }

    public static bool Has(JsonNode? node, params string[] path) => At(node, path) is not null;

    public static bool Flag(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    public static IEnumerable<JsonObject> Objects(JsonNode? node, params string[] path) =>
        At(node, path) is JsonArray array ? array.OfType<JsonObject>() : [];

    public static int Count(JsonNode? node, params string[] path) => At(node, path) switch
    {
        JsonObject obj => obj.Count,
        JsonArray array => array.Count,
        _ => 0,
    };

    public static DateTimeOffset? Time(JsonNode? node, params string[] path) =>
        Text(node, path) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    /// <summary>translateTimestampSince: "&lt;unknown&gt;" for a missing time, else kubectl's human duration.</summary>
    public static string Since(DateTimeOffset? time, DateTimeOffset now) =>
        time is { } t ? KubeDuration.Human(now - t) : Unknown;

    public static string Age(JsonObject obj, DateTimeOffset now) => Since(Time(obj, "metadata", "creationTimestamp"), now);

    /// <summary>The status of the first condition of <paramref name="type"/>, as the printers' condition lookups do.</summary>
    public static string? ConditionStatus(JsonNode? node, string type, params string[] path) =>
        Objects(node, path).FirstOrDefault(c => Text(c, "type") == type) is { } condition ? Text(condition, "status") : null;

    /// <summary>labels.FormatLabels: "k=v" pairs sorted by key, joined by commas; "&lt;none&gt;" when empty.</summary>
    public static string FormatLabels(JsonNode? map)
    {
        if (map is not JsonObject obj || obj.Count == 0)
        {
            return None;
        }

        return string.Join(',', obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={ScalarText(p.Value)}"));
    }

    /// <summary>
    /// metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key, "k=v" for matchLabels, "k in (a,b)",
    /// "k notin (a,b)", "k" and "!k" for expressions. An absent or empty selector prints as an empty string.
    /// </summary>
    public static string SelectorText(JsonNode? selector)
    {
        var requirements = new List<(string Key, string Text)>();
        if (At(selector, "matchLabels") is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                requirements.Add((key, $"{key}={ScalarText(value)}"));
            }
        }

        foreach (var expression in Objects(selector, "matchExpressions"))
        {
            var key = Text(expression, "key") ?? "";
            var values = (At(expression, "values") as JsonArray ?? [])
                .Select(ScalarText).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            var text = Text(expression, "operator") switch
            {
                "In" => $"{key} in ({string.Join(',', values)})",
                "NotIn" => $"{key} notin ({string.Join(',', values)})",
                "Exists" => key,
                "DoesNotExist" => "!" + key,
                _ => null,
            };
            if (text is null)
            {
                // LabelSelectorAsSelector fails on an unknown operator and the printers show "<invalid>".
                return "<invalid>";
            }

            requirements.Add((key, text));
        }

        // Requirements are sorted by key only; a stable sort keeps matchLabels before expressions on the same key.
        return string.Join(',', requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Text));
    }

    /// <summary>metav1.FormatLabelSelector: the selector string, or "&lt;none&gt;" when it selects by nothing.</summary>
    public static string FormatSelector(JsonNode? selector) => SelectorText(selector) is { Length: > 0 } text ? text : None;

    /// <summary>layoutContainerCells: container names, and their images, each joined by commas.</summary>
    public static (string Names, string Images) Containers(JsonNode? podTemplate)
    {
        var names = new StringBuilder();
        var images = new StringBuilder();
        foreach (var container in Objects(podTemplate, "spec", "containers"))
        {
            if (names.Length > 0)
            {
                names.Append(',');
                images.Append(',');
            }

            names.Append(Text(container, "name"));
            images.Append(Text(container, "image"));
        }

        return (names.ToString(), images.ToString());
    }

    public static PrinterColumn AgeColumn { get; } = new()
    {
        Name = "Age",
        Description = "Time since the object was created (metadata.creationTimestamp).",
        Cell = (obj, now) => Age(obj, now),
    };

    /// <summary>The wide Containers, Images and Selector columns of the workload tables.</summary>
    public static IEnumerable<PrinterColumn> WorkloadWideColumns(Func<JsonObject, string> selector) =>
    [
        new()
        {
            Name = "Containers",
            Priority = 1,
            Description = "Names of the containers in the pod template.",
            Cell = (obj, _) => Containers(At(obj, "spec", "template")).Names,
        },
        new()
        {
            Name = "Images",
            Priority = 1,
            Description = "Images of the containers in the pod template.",
            Cell = (obj, _) => Containers(At(obj, "spec", "template")).Images,
        },
        new()
        {
            Name = "Selector",
            Priority = 1,
            Description = "Label query selecting the pods this object manages.",
            Cell = (obj, _) => selector(obj),
        },
    ];

    public static PrinterColumn IntegerColumn(string name, string description, params string[] path) => new()
    {
        Name = name,
        Type = "integer",
        Description = description,
        Cell = (obj, _) => Number(obj, path),
    };

    private static string ScalarText(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        null => "",
        _ => node.ToJsonString(),
    };
}
