using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Kube.Api;

/// <summary>
/// What an update may change, as kube-apiserver's strategies decide for every kind: system metadata is kept from
/// the stored object; the main endpoint ignores status and the /status endpoint ignores everything but status
/// (for kinds with a status subresource); generation moves when anything outside metadata and status changes; the
/// kind's own update checks (<see cref="KindDefinition.UpdateAdmission"/>) run last.
/// </summary>
public static class UpdateRules
{
    private static readonly string[] SystemMetadata = ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "name", "namespace"];

    /// <summary>The object to store for a PUT or PATCH of the main resource.</summary>
    public static JsonObject MainResource(KindDefinition kind, JsonObject current, JsonObject incoming)
    {
        var result = incoming.DeepClone().AsObject();
        var metadata = result.Metadata();
        var currentMetadata = current.Metadata();
        foreach (var field in SystemMetadata)
        {
            Copy(currentMetadata, metadata, field);
        }

        if (kind.HasStatus)
        {
            Copy(current, result, "status");
            if (SpecChanged(current, result))
            {
                metadata["generation"] = (currentMetadata["generation"] is JsonValue g && long.TryParse(g.ToJsonString(), out var generation) ? generation : 0) + 1;
            }
        }

        kind.UpdateAdmission?.Invoke(current, result);
        return result;
    }

    /// <summary>The object to store for a PUT or PATCH of /status: the stored object with the new status.</summary>
    public static JsonObject StatusResource(JsonObject current, JsonObject incoming)
    {
        var result = current.DeepClone().AsObject();
        Copy(incoming, result, "status");
        return result;
    }

    private static bool SpecChanged(JsonObject before, JsonObject after)
    {
        var names = before.Select(static p => p.Key).Union(after.Select(static p => p.Key)).Where(static n => n is not ("metadata" or "status" or "apiVersion" or "kind"));
        return names.Any(n => !JsonNode.DeepEquals(before[n], after[n]));
    }

    private static void Copy(JsonObject from, JsonObject to, string field)
    {
        if (from[field] is { } value)
        {
            to[field] = value.DeepClone();
        }
        else
        {
            to.Remove(field);
        }
    }
}
