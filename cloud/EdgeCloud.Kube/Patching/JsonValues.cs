using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Patching;

/// <summary>Structural comparison of JSON values, as the patch engines need it.</summary>
internal static class JsonValues
{
    /// <summary>
    /// True when both values are the same JSON: objects compare by key regardless of order, numbers by value
    /// (1 equals 1.0, as Go's decoding into float64 makes them in evanphx/json-patch and strategicpatch).
    /// </summary>
    public static bool Equal(JsonNode? left, JsonNode? right)
    {
        switch (left, right)
        {
            case (null, null):
                return true;
            case (null, _) or (_, null):
                return false;
            case (JsonObject l, JsonObject r):
                if (l.Count != r.Count)
                {
                    return false;
                }

                foreach (var (key, value) in l)
                {
                    if (!r.TryGetPropertyValue(key, out var other) || !Equal(value, other))
                    {
                        return false;
                    }
                }

                return true;
            case (JsonArray l, JsonArray r):
                if (l.Count != r.Count)
                {
                    return false;
                }

                for (var i = 0; i < l.Count; i++)
                {
                    if (!Equal(l[i], r[i]))
                    {
                        return false;
                    }
                }

                return true;
            case (JsonValue l, JsonValue r):
                var lk = l.GetValueKind();
                var rk = r.GetValueKind();
                if (lk == JsonValueKind.Number && rk == JsonValueKind.Number)
                {
                    return NumbersEqual(l, r);
                }

                if (lk != rk)
                {
                    return false;
                }

                return lk switch
                {
                    JsonValueKind.String => l.GetValue<string>() == r.GetValue<string>(),
                    _ => true, // true, false and null carry no payload beyond their kind
                };
            default:
                return false;
        }
    }

    /// <summary>The kind a value has for merging: object, array or scalar.</summary>
    public static JsonValueKind KindOf(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    /// <summary>A short rendering of a value for error messages.</summary>
    public static string Render(JsonNode? node) => node?.ToJsonString() ?? "null";

    private static bool NumbersEqual(JsonValue left, JsonValue right)
    {
        var l = left.ToJsonString();
        var r = right.ToJsonString();
        if (l == r)
        {
            return true;
        }

        if (decimal.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var ld)
            && decimal.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out var rd))
        {
            return ld == rd;
        }

        return double.Parse(l, CultureInfo.InvariantCulture) == double.Parse(r, CultureInfo.InvariantCulture);
    }
}
