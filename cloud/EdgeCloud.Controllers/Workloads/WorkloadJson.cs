using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads;

/// <summary>Field access shared by the workload planners: numbers, annotations and times as the API stores them.</summary>
internal static class WorkloadJson
{
    public static JsonObject Spec(JsonObject obj) => Child(obj, "spec");

    public static JsonObject Status(JsonObject obj) => Child(obj, "status");

    public static JsonObject Child(JsonObject obj, string name)
    {
        if (obj[name] is JsonObject child)
        {
            return child;
        }

        child = [];
        obj[name] = child;
        return child;
    }

    public static long Long(JsonObject? obj, string name, long fallback = 0) => TryLong(obj?[name], out var number) ? number : fallback;

    /// <summary>A whole number, whether the node was parsed (a JsonElement) or built in code (an int or a long).</summary>
    public static bool TryLong(JsonNode? node, out long number)
    {
        number = 0;
        if (node is not JsonValue value)
        {
            return false;
        }

        if (value.TryGetValue(out number))
        {
            return true;
        }

        if (value.TryGetValue<int>(out var small))
        {
            number = small;
            return true;
        }

        return false;
    }

    public static int Int(JsonObject? obj, string name, int fallback = 0) => (int)Long(obj, name, fallback);

    /// <summary>spec.replicas; the API defaults it to 1, so an absent value means 1.</summary>
    public static int SpecReplicas(JsonObject obj) => Int(obj["spec"] as JsonObject, "replicas", 1);

    public static int StatusInt(JsonObject obj, string name) => Int(obj["status"] as JsonObject, name);

    public static string Name(JsonObject obj) => obj.Metadata().GetString("name") ?? "";

    public static string? Uid(JsonObject obj) => obj.Metadata().GetString("uid");

    public static long Generation(JsonObject obj) => Long(obj.Metadata(), "generation");

    public static string? Annotation(JsonObject obj, string key) =>
        (obj.Metadata()["annotations"] as JsonObject)?.GetString(key);

    public static JsonObject Annotations(JsonObject obj) => Child(obj.Metadata(), "annotations");

    public static DateTimeOffset? Time(JsonObject? obj, string name) =>
        obj?.GetString(name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    public static DateTimeOffset CreationTimestamp(JsonObject obj) => Time(obj.Metadata(), "creationTimestamp") ?? DateTimeOffset.MinValue;

    /// <summary>metav1.Time's wire form: RFC 3339 in UTC, whole seconds.</summary>
    public static string FormatTime(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Sets an integer field, or removes it when zero (Go's omitempty, as upstream status structs declare).</summary>
    public static void SetOmitEmpty(JsonObject obj, string name, long value)
    {
        if (value == 0)
        {
            obj.Remove(name);
        }
        else if (value is >= int.MinValue and <= int.MaxValue)
        {
            obj[name] = (int)value;
        }
        else
        {
            obj[name] = value;
        }
    }

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
