using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Storage;

/// <summary>
/// Small accessors for the parts of an object every request touches (metadata), and the stored form: the object's
/// JSON without metadata.resourceVersion, which is the store's mod revision and is filled in on the way out.
/// </summary>
public static class ObjectJson
{
    /// <summary>The object's metadata, created when missing.</summary>
    public static JsonObject Metadata(this JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = [];
        obj["metadata"] = metadata;
        return metadata;
    }

    /// <summary>A string field of <paramref name="node"/>, or null when absent or not a string.</summary>
    public static string? GetString(this JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The bytes stored for <paramref name="obj"/>: its JSON without resourceVersion.</summary>
    public static byte[] ToStored(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        copy.Metadata().Remove("resourceVersion");
        return JsonSerializer.SerializeToUtf8Bytes(copy, KubeJsonContext.Default.JsonObject);
    }

    /// <summary>The object read from stored bytes, with its resourceVersion set to <paramref name="modRevision"/>.</summary>
    public static JsonObject FromStored(ReadOnlySpan<byte> stored, long modRevision)
    {
        var obj = JsonNode.Parse(stored)?.AsObject() ?? throw new InvalidDataException("stored object is not a JSON object");
        obj.Metadata()["resourceVersion"] = modRevision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return obj;
    }

    /// <summary>Parses a resourceVersion as the store revision it names; null when empty.</summary>
    public static long? ParseResourceVersion(string? resourceVersion, string parameter = "resourceVersion")
    {
        if (string.IsNullOrEmpty(resourceVersion))
        {
            return null;
        }

        return long.TryParse(resourceVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var revision)
            ? revision
            : throw Api.KubeApiException.BadRequest($"invalid {parameter}: \"{resourceVersion}\" is not a resource version this server issued");
    }
}
