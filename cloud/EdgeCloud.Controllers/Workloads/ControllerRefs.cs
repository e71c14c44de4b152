using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads;

/// <summary>The controller ownerReference: which workload owns an object (Kubernetes "Owners and dependents").</summary>
public static class ControllerRefs
{
    /// <summary>The uid of the ownerReference with controller=true, or null.</summary>
    public static string? ControllerUid(JsonObject obj) => Controller(obj)?.GetString("uid");

    /// <summary>The ownerReference with controller=true, or null.</summary>
    public static JsonObject? Controller(JsonObject obj)
    {
        if (obj.Metadata()["ownerReferences"] is not JsonArray references)
        {
            return null;
        }

        foreach (var reference in references)
        {
            if (reference is JsonObject r && r["controller"] is JsonValue flag && flag.TryGetValue<bool>(out var isController) && isController)
            {
                return r;
            }
        }

        return null;
    }

    /// <summary>A controller reference to <paramref name="owner"/> of <paramref name="kind"/>, blocking the owner's foreground deletion.</summary>
    public static JsonObject For(KindDefinition kind, JsonObject owner) => new()
    {
        ["apiVersion"] = kind.ApiVersion,
        ["kind"] = kind.Kind,
        ["name"] = owner.Metadata().GetString("name"),
        ["uid"] = owner.Metadata().GetString("uid"),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };
}
