using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>Building blocks of printer columns (kubectl's printers.go formats).</summary>
public static class Columns
{
    /// <summary>AGE: time since creation in kubectl's short form.</summary>
    public static PrinterColumn Age { get; } = new()
    {
        Name = "Age",
        Type = "string",
        Description = "Time since the object was created.",
        Cell = static (obj, now) => AgeOf(obj, now, "metadata", "creationTimestamp"),
    };

    /// <summary>A column showing the string at <paramref name="path"/>, "&lt;none&gt;" when absent.</summary>
    public static PrinterColumn Text(string name, string description, int priority, params string[] path) => new()
    {
        Name = name,
        Description = description,
        Priority = priority,
        Cell = (obj, _) => Read(obj, path) is { Length: > 0 } s ? s : "<none>",
    };

    /// <summary>The value at <paramref name="path"/> as text, or null.</summary>
    public static string? Read(JsonObject obj, params string[] path)
    {
        JsonNode? node = obj;
        foreach (var step in path)
        {
            node = (node as JsonObject)?[step];
        }

        return node switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => node.ToJsonString(),
        };
    }

    /// <summary>An integer at <paramref name="path"/>, or 0.</summary>
    public static long Int(JsonObject obj, params string[] path) =>
        long.TryParse(Read(obj, path), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>The age of the timestamp at <paramref name="path"/>, or "&lt;unknown&gt;".</summary>
    public static string AgeOf(JsonObject obj, DateTimeOffset now, params string[] path) =>
        DateTimeOffset.TryParse(Read(obj, path), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? KubeDuration.Human(now - at)
            : "<unknown>";

    /// <summary>Number of entries of the map at <paramref name="path"/>.</summary>
    public static int Count(JsonObject obj, params string[] path)
    {
        JsonNode? node = obj;
        foreach (var step in path)
        {
            node = (node as JsonObject)?[step];
        }

        return node switch { JsonObject o => o.Count, JsonArray a => a.Count, _ => 0 };
    }
}
