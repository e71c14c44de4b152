using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads;

/// <summary>What workload controllers read off a Pod: phase, readiness, availability, termination.</summary>
public static class PodConditions
{
    /// <summary>status.phase, "Pending" when unset (a new pod).</summary>
    public static string Phase(JsonObject pod) => (pod["status"] as JsonObject)?.GetString("phase") ?? "Pending";

    /// <summary>The pod's Ready condition is True.</summary>
    public static bool IsReady(JsonObject pod) => ReadySince(pod) is not null;

    /// <summary>
    /// Ready for at least <paramref name="minReadySeconds"/> at <paramref name="now"/> (Kubernetes "available"):
    /// measured from the Ready condition's lastTransitionTime.
    /// </summary>
    public static bool IsAvailable(JsonObject pod, int minReadySeconds, DateTimeOffset now) =>
        ReadySince(pod) is { } since && (minReadySeconds <= 0 || since.AddSeconds(minReadySeconds) <= now);

    /// <summary>When a ready pod becomes available, or null when it is not ready (or already is available).</summary>
    public static DateTimeOffset? AvailableAt(JsonObject pod, int minReadySeconds, DateTimeOffset now) =>
        ReadySince(pod) is { } since && minReadySeconds > 0 && since.AddSeconds(minReadySeconds) > now ? since.AddSeconds(minReadySeconds) : null;

    /// <summary>Counts toward a controller's replicas: not finished and not being deleted.</summary>
    public static bool IsActive(JsonObject pod) => !IsTerminating(pod) && Phase(pod) is not ("Succeeded" or "Failed");

    /// <summary>metadata.deletionTimestamp is set.</summary>
    public static bool IsTerminating(JsonObject pod) => pod.Metadata()["deletionTimestamp"] is not null;

    /// <summary>Since when the Ready condition has been True, or null when it is not.</summary>
    public static DateTimeOffset? ReadySince(JsonObject pod)
    {
        if ((pod["status"] as JsonObject)?["conditions"] is not JsonArray conditions)
        {
            return null;
        }

        foreach (var condition in conditions)
        {
            if (condition is JsonObject c && c.GetString("type") == "Ready")
            {
                if (c.GetString("status") != "True")
                {
                    return null;
                }

                return DateTimeOffset.TryParse(c.GetString("lastTransitionTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                    ? at
                    : DateTimeOffset.MinValue;
            }
        }

        return null;
    }
}
