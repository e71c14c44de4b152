using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Patching;

/// <summary>
/// Picks the patch engine for a PATCH request's Content-Type, as kube-apiserver's patch handler does, and checks
/// that the result is still an object.
/// </summary>
public static class ObjectPatch
{
    /// <summary>
    /// Applies <paramref name="patch"/> to a copy of <paramref name="original"/> with the engine named by
    /// <paramref name="contentType"/> (parameters such as <c>charset</c> are ignored). Pass
    /// <paramref name="strategicMergeAllowed"/> false for custom resources: kube-apiserver serves no strategic merge
    /// patch for them, since a CRD schema carries no patch strategies it has always honoured.
    /// </summary>
    /// <exception cref="PatchException">
    /// 415 for a Content-Type no engine here serves (server-side apply's application/apply-patch+yaml included),
    /// 422 when the patch turns the object into something that is not a JSON object, and each engine's own errors.
    /// </exception>
    public static JsonObject Apply(string contentType, JsonObject original, JsonNode? patch, SchemaNode schema, bool strategicMergeAllowed = true)
    {
        var mediaType = contentType.Split(';', 2)[0].Trim().ToLowerInvariant();
        var result = mediaType switch
        {
            JsonPatch.MediaType => JsonPatch.Apply(original, patch),
            JsonMergePatch.MediaType => JsonMergePatch.Apply(original, patch),
            StrategicMergePatch.MediaType when strategicMergeAllowed => StrategicMergePatch.Apply(original, patch, schema),
            _ => throw new PatchException(415, $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", Accepted(strategicMergeAllowed))}"),
        };

        return result as JsonObject
            ?? throw PatchException.Unprocessable($"the patched object must be a JSON object, got {JsonValues.Render(result)}");
    }

    /// <summary>The PATCH Content-Types served, in the order kube-apiserver lists them.</summary>
    public static IReadOnlyList<string> Accepted(bool strategicMergeAllowed = true) =>
        strategicMergeAllowed
            ? [JsonPatch.MediaType, JsonMergePatch.MediaType, StrategicMergePatch.MediaType]
            : [JsonPatch.MediaType, JsonMergePatch.MediaType];
}
