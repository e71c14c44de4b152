using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Patching;

/// <summary>JSON merge patch (RFC 7386): objects merge recursively, null deletes, anything else replaces.</summary>
public static class MergePatch
{
    /// <summary>The result of applying <paramref name="patch"/> to <paramref name="original"/>; neither is modified.</summary>
    public static JsonNode? Apply(JsonNode? original, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = original is JsonObject originalObject ? originalObject.DeepClone().AsObject() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Apply(result[name], value);
            }
        }

        return result;
    }
}
