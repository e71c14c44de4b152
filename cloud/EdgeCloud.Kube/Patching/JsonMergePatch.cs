using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Patching;

/// <summary>
/// JSON merge patch (RFC 7386), the <c>application/merge-patch+json</c> PATCH body: objects merge member by member,
/// a null member deletes, anything else (arrays included) replaces. Never fails: every JSON value is a merge patch.
/// </summary>
public static class JsonMergePatch
{
    /// <summary>The PATCH Content-Type this engine serves.</summary>
    public const string MediaType = "application/merge-patch+json";

    /// <summary>
    /// The result of merging <paramref name="patch"/> into <paramref name="original"/>, as a new tree; neither input
    /// is changed. A patch that is not an object replaces the whole document (RFC 7386 section 2).
    /// </summary>
    public static JsonNode? Apply(JsonNode? original, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var target = original is JsonObject originalObject ? (JsonObject)originalObject.DeepClone() : [];
        Merge(target, patchObject);
        return target;
    }

    /// <summary>Merges <paramref name="patch"/> into <paramref name="target"/>, which the caller owns.</summary>
    internal static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            switch (value)
            {
                case null:
                    target.Remove(key);
                    break;
                case JsonObject child:
                    var existing = target.TryGetPropertyValue(key, out var current) && current is JsonObject currentObject
                        ? currentObject
                        : null;
                    if (existing is null)
                    {
                        // RFC 7386: a member merged into a non-object starts from {}, so nulls inside are dropped.
                        existing = [];
                        target[key] = existing;
                    }

                    Merge(existing, child);
                    break;
                default:
                    target[key] = value.DeepClone();
                    break;
            }
        }
    }
}
