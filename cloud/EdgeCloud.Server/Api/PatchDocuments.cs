using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Patching;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Server.Api;

/// <summary>Applies a PATCH body of any supported type to the current object, turning patch failures into Status errors.</summary>
internal static class PatchDocuments
{
    /// <summary>The patched object.</summary>
    public static JsonObject Apply(PatchRequest patch, JsonObject current, KindDefinition kind)
    {
        try
        {
            var result = patch.Type switch
            {
                PatchType.Json => JsonPatch.Apply(current, patch.Body),
                PatchType.Merge => MergePatch.Apply(current, patch.Body),
                _ => StrategicMergePatch.Apply(current, patch.Body as JsonObject ?? throw new PatchException("a strategic merge patch must be a JSON object", malformed: true), kind.Schema),
            };
            return result as JsonObject ?? throw new PatchException("the patched document is not an object", malformed: false);
        }
        catch (PatchException error)
        {
            throw error.Malformed ? KubeApiException.BadRequest(error.Message) : new KubeApiException(422, "Invalid", error.Message);
        }
    }
}
