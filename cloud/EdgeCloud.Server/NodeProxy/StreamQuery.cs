using System.Globalization;
using EdgeCloud.Kube.Api;
using Microsoft.Extensions.Primitives;

namespace EdgeCloud.Server.NodeProxy;

/// <summary>Query parameters of pods/log and pods/exec, parsed as kube-apiserver's parameter codec does (Go's strconv).</summary>
internal static class StreamQuery
{
    /// <summary>A boolean parameter: absent is <paramref name="absent"/>; 1, t, true (any case) and 0, f, false are accepted.</summary>
    public static bool Bool(IQueryCollection query, string name, bool absent = false)
    {
        var value = Single(query, name);
        return value switch
        {
            null => absent,
            "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
            "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
            _ => throw KubeApiException.BadRequest($"invalid value for {name}: \"{value}\" is not a boolean"),
        };
    }

    /// <summary>An integer parameter no smaller than <paramref name="minimum"/>, or null when absent.</summary>
    public static long? Long(IQueryCollection query, string name, long minimum)
    {
        var value = Single(query, name);
        if (value is null)
        {
            return null;
        }

        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            throw KubeApiException.BadRequest($"invalid value for {name}: \"{value}\" is not an integer");
        }

        return number >= minimum ? number : throw KubeApiException.BadRequest($"invalid value for {name}: must be greater than or equal to {minimum}");
    }

    /// <summary>An RFC 3339 time parameter, or null when absent.</summary>
    public static DateTimeOffset? Time(IQueryCollection query, string name)
    {
        var value = Single(query, name);
        if (value is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw KubeApiException.BadRequest($"invalid value for {name}: \"{value}\" is not an RFC 3339 time");
    }

    /// <summary>A string parameter, or null when absent or empty.</summary>
    public static string? String(IQueryCollection query, string name) => Single(query, name) is { Length: > 0 } value ? value : null;

    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out StringValues values) && values.Count > 0 ? values[values.Count - 1] : null;
}
