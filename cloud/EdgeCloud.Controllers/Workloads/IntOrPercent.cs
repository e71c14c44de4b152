using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeCloud.Controllers.Workloads;

/// <summary>
/// An intstr.IntOrString as workload specs use it (maxSurge, maxUnavailable): a plain count, or a percentage of a
/// total. Percentages round up or down as the caller's rule says (Kubernetes rounds maxSurge up and
/// maxUnavailable down).
/// </summary>
public static class IntOrPercent
{
    /// <summary>
    /// The count <paramref name="value"/> stands for against <paramref name="total"/>; <paramref name="fallback"/>
    /// when the value is absent. Throws <see cref="FormatException"/> for anything that is neither.
    /// </summary>
    public static int Resolve(JsonNode? value, int total, bool roundUp, int fallback)
    {
        switch (value)
        {
            case null:
                return fallback;
            case JsonValue number when number.TryGetValue<int>(out var count):
                return count;
            case JsonValue text when text.TryGetValue<string>(out var s) && s.EndsWith('%')
                && int.TryParse(s.AsSpan(0, s.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var percent):
                var scaled = (long)percent * total;
                return (int)(roundUp ? (scaled + 99) / 100 : scaled / 100);
            case JsonValue text when text.TryGetValue<string>(out var s)
                && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                throw new FormatException($"invalid value for IntOrString: {value.ToJsonString()}: must be an integer or a percentage such as \"25%\"");
        }
    }
}
