using System.Text.Json.Nodes;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads;

/// <summary>The status.conditions list rules workload controllers share (SetDeploymentCondition, SetCondition for ReplicaSets).</summary>
internal static class WorkloadConditions
{
    public static JsonObject? Find(JsonObject status, string type)
    {
        if (status["conditions"] is JsonArray conditions)
        {
            foreach (var node in conditions)
            {
                if (node is JsonObject condition && condition.GetString("type") == type)
                {
                    return condition;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Puts <paramref name="condition"/> in place of the one of its type. Nothing changes when status and reason are
    /// the same; lastTransitionTime is kept when only the reason changes. A replaced condition moves to the end, as
    /// upstream filters and appends.
    /// </summary>
    public static bool Set(JsonObject status, JsonObject condition)
    {
        var type = condition.GetString("type") ?? "";
        var current = Find(status, type);
        if (current is not null && current.GetString("status") == condition.GetString("status") && current.GetString("reason") == condition.GetString("reason"))
        {
            return false;
        }

        if (current is not null && current.GetString("status") == condition.GetString("status"))
        {
            condition["lastTransitionTime"] = current["lastTransitionTime"]?.DeepClone();
        }

        Remove(status, type);
        var conditions = status["conditions"] as JsonArray;
        if (conditions is null)
        {
            conditions = [];
            status["conditions"] = conditions;
        }

        conditions.Add(condition);
        return true;
    }

    public static bool Remove(JsonObject status, string type)
    {
        if (status["conditions"] is not JsonArray conditions)
        {
            return false;
        }

        var removed = false;
        for (var i = conditions.Count - 1; i >= 0; i--)
        {
            if (conditions[i] is JsonObject condition && condition.GetString("type") == type)
            {
                conditions.RemoveAt(i);
                removed = true;
            }
        }

        if (conditions.Count == 0)
        {
            status.Remove("conditions");
        }

        return removed;
    }
}
