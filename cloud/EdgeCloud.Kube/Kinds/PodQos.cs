using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;

namespace EdgeCloud.Kube.Kinds;

/// <summary>
/// A pod's quality-of-service class (status.qosClass), as kube-apiserver derives it when a pod is created
/// (pkg/apis/core/helper/qos): from the cpu and memory requests and limits of its containers and init containers.
/// </summary>
public static class PodQos
{
    private static readonly string[] ComputeResources = ["cpu", "memory"];

    /// <summary>
    /// BestEffort when no container requests or limits cpu or memory; Guaranteed when every container limits both
    /// and the pod's summed requests equal its summed limits; Burstable otherwise. Zero values count as unset.
    /// </summary>
    public static string ClassOf(JsonObject? spec)
    {
        var requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        var limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        var guaranteed = true;
        foreach (var container in PodContainers.WithResources(spec))
        {
            var resources = container["resources"] as JsonObject;
            Accumulate(resources?["requests"] as JsonObject, requests);
            if (Accumulate(resources?["limits"] as JsonObject, limits) < ComputeResources.Length)
            {
                guaranteed = false;
            }
        }

        if (requests.Count == 0 && limits.Count == 0)
        {
            return "BestEffort";
        }

        return guaranteed && requests.Count == limits.Count && requests.All(r => limits.TryGetValue(r.Key, out var limit) && limit == r.Value)
            ? "Guaranteed"
            : "Burstable";
    }

    // Adds the non-zero cpu and memory of one container's list to the pod's totals; returns how many it had.
    private static int Accumulate(JsonObject? list, Dictionary<string, ResourceQuantity> totals)
    {
        var found = 0;
        foreach (var name in ComputeResources)
        {
            if (list?[name] is { } node && ResourceQuantity.TryParse(QuantityText(node), out var quantity) && !quantity.IsZero)
            {
                totals[name] = totals.GetValueOrDefault(name) + quantity;
                found++;
            }
        }

        return found;
    }

    private static string QuantityText(JsonNode node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node.ToJsonString();
}
