using EdgeCloud.Kube.Api;
using Microsoft.Net.Http.Headers;

namespace EdgeCloud.Server.Api;

/// <summary>
/// Content negotiation on the Accept header, as kube-apiserver does it: media types are tried in the client's
/// order, parameters (as, g, v) must match exactly, and what cannot be produced is skipped. Responses are JSON;
/// protobuf entries are passed over (clients list JSON after them).
/// </summary>
internal static class AcceptHeader
{
    /// <summary>The aggregated discovery media type the client prefers ("v2" or "v2beta1"), or null for the legacy documents.</summary>
    public static string? AggregatedDiscoveryVersion(HttpRequest request)
    {
        foreach (var media in Parse(request))
        {
            if (!IsJson(media))
            {
                continue;
            }

            var group = Parameter(media, "g");
            var version = Parameter(media, "v");
            var shape = Parameter(media, "as");
            if (group is null && version is null && shape is null)
            {
                return null;
            }

            // kubectl 1.27-1.29 list only v2beta1; answering v2 to them makes every resource disappear.
            if (group == "apidiscovery.k8s.io" && shape == "APIGroupDiscoveryList" && version is "v2" or "v2beta1")
            {
                return version;
            }
        }

        return null;
    }

    /// <summary>True when the client asked for a meta.k8s.io Table before plain JSON (kubectl get does).</summary>
    public static bool WantsTable(HttpRequest request)
    {
        foreach (var media in Parse(request))
        {
            if (!IsJson(media))
            {
                continue;
            }

            var shape = Parameter(media, "as");
            if (shape is null)
            {
                return false;
            }

            if (shape == "Table" && Parameter(media, "g") == "meta.k8s.io" && Parameter(media, "v") is "v1" or "v1beta1")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Throws 406 NotAcceptable when nothing the client accepts is JSON.</summary>
    public static void RequireJson(HttpRequest request)
    {
        var accepted = Parse(request);
        if (accepted.Count > 0 && !accepted.Any(IsJson))
        {
            throw new KubeApiException(406, "NotAcceptable", $"only the following media types are accepted: application/json, application/yaml");
        }
    }

    // Parsed once per request: every request asks at least twice (acceptable at all, Table or not).
    private static readonly object ParsedKey = new();

    private static IList<MediaTypeHeaderValue> Parse(HttpRequest request)
    {
        var items = request.HttpContext.Items;
        if (items.TryGetValue(ParsedKey, out var cached) && cached is IList<MediaTypeHeaderValue> list)
        {
            return list;
        }

        IList<MediaTypeHeaderValue> parsed = MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var values) ? values : [];
        items[ParsedKey] = parsed;
        return parsed;
    }

    private static bool IsJson(MediaTypeHeaderValue media) =>
        media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || media.MediaType.Equals("*/*", StringComparison.Ordinal)
        || media.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase);

    private static string? Parameter(MediaTypeHeaderValue media, string name) =>
        media.Parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value.Value;
}
