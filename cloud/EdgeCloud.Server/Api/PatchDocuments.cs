using System.Text.Json.Nodes;
using EdgeCloud.Kube.Patching;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Server.Api;

/// <summary>Applies a PATCH body of any supported type to the current object, turning patch failures into Status errors.</summary>
internal static class PatchDocuments
{
    /// <summary>The patched object.</summary>
    public static JsonObject Apply(PatchRequest patch, JsonObject current, KindDefinition kind, bool strategicMergeAllowed)
    {
        try
        {
            // kube-apiserver answers 415 to a strategic merge patch of a custom resource: it has no patch strategies.
            return ObjectPatch.Apply(patch.ContentType, current, patch.Body, kind.Schema, strategicMergeAllowed);
        }
        catch (PatchException error)
        {
            throw error.ToApiException();
        }
    }
}
