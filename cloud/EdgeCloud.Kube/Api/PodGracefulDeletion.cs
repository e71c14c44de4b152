using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Kube.Api;

/// <summary>
/// Graceful deletion of pods, as kube-apiserver's pod strategy: a pod bound to a node is not removed at once; it
/// gets deletionTimestamp = now + grace period so that its node stops the containers (SIGTERM, then SIGKILL) and
/// then removes it. An unbound pod, or a grace period of 0, goes at once.
/// </summary>
public static class PodGracefulDeletion
{
    /// <summary>The grace period terminationGracePeriodSeconds defaults to (30 s, as Kubernetes).</summary>
    public const long DefaultGracePeriodSeconds = 30;

    /// <summary>
    /// The seconds the object's deletion waits for its node: 0 for anything that is not a bound, running pod;
    /// else <paramref name="requested"/> (DeleteOptions.gracePeriodSeconds) or the pod's terminationGracePeriodSeconds.
    /// </summary>
    public static long GracePeriodSeconds(KindDefinition kind, JsonObject obj, long? requested)
    {
        if (kind is not { Group: "", Plural: "pods" } || obj["spec"] is not JsonObject spec || spec.GetString("nodeName") is not { Length: > 0 })
        {
            return 0;
        }

        // A finished pod has nothing left to stop.
        if ((obj["status"] as JsonObject)?.GetString("phase") is "Succeeded" or "Failed")
        {
            return 0;
        }

        if (requested is { } asked)
        {
            return Math.Max(asked, 0);
        }

        return spec["terminationGracePeriodSeconds"] is JsonValue v && v.TryGetValue<long>(out var seconds) ? Math.Max(seconds, 0) : DefaultGracePeriodSeconds;
    }
}
