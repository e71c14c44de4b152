using System.Text.Json.Nodes;
using EdgeCloud.Agent.Cloud;

namespace EdgeCloud.Agent.Pods;

/// <summary>
/// The ConfigMaps and Secrets pods reference: read from the cloud while it is reachable (and kept in the
/// <see cref="PodCache"/>), from the cache while it is not, so a pod restarted offline gets the same env and files.
/// </summary>
internal sealed class ReferencedObjects(PodCache cache)
{
    private volatile ClusterApi? _api;

    /// <summary>The cloud's API while a session is up; null offline.</summary>
    public ClusterApi? Api
    {
        get => _api;
        set => _api = value;
    }

    /// <summary>The object, or null when it does not exist (or is unknown offline).</summary>
    public async Task<JsonObject?> GetAsync(string plural, string ns, string name, CancellationToken cancellationToken)
    {
        if (_api is { } api)
        {
            try
            {
                var found = await api.GetAsync($"api/v1/namespaces/{ns}/{plural}/{name}", cancellationToken);
                if (found is null)
                {
                    cache.RemoveObject(plural, ns, name);
                    return null;
                }

                cache.PutObject(plural, ns, name, found);
                return found;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or ClusterApiException { StatusCode: >= 500 } or Tunnel.TunnelSessionClosedException)
            {
                // The link dropped mid-call: fall back to what the cache remembers.
            }
        }

        return cache.GetObject(plural, ns, name);
    }

    /// <summary>The value of <paramref name="key"/> of a ConfigMap (data or binaryData) or Secret (base64 data), or null.</summary>
    public static byte[]? Value(JsonObject obj, string plural, string key)
    {
        if (plural == "secrets")
        {
            return PodPlan.Text(obj["data"]?[key]) is { } encoded ? Decode(encoded) : (PodPlan.Text(obj["stringData"]?[key]) is { } plain ? System.Text.Encoding.UTF8.GetBytes(plain) : null);
        }

        return PodPlan.Text(obj["data"]?[key]) is { } text ? System.Text.Encoding.UTF8.GetBytes(text) : (PodPlan.Text(obj["binaryData"]?[key]) is { } binary ? Decode(binary) : null);
    }

    /// <summary>Every key of a ConfigMap or Secret with its value.</summary>
    public static IEnumerable<(string Key, byte[] Value)> Entries(JsonObject obj, string plural)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var section in plural == "secrets" ? new[] { "data", "stringData" } : ["data", "binaryData"])
        {
            if (obj[section] is JsonObject entries)
            {
                keys.UnionWith(entries.Select(static e => e.Key));
            }
        }

        foreach (var key in keys)
        {
            if (Value(obj, plural, key) is { } value)
            {
                yield return (key, value);
            }
        }
    }

    private static byte[]? Decode(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
