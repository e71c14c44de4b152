using System.Text.Json.Nodes;

namespace EdgeCloud.Controllers.Workloads.DaemonSets;

/// <summary>What one sync of a daemon set should do, and the status it should write.</summary>
public sealed record DaemonSetPlan
{
    /// <summary>The hash of the current template: the pods' controller-revision-hash and the ControllerRevision's suffix.</summary>
    public required string Hash { get; init; }

    /// <summary>The nodes that need a pod of the current template, in node order.</summary>
    public required IReadOnlyList<string> NodesNeedingPods { get; init; }

    /// <summary>The pods to create, one per entry of <see cref="NodesNeedingPods"/>, built by <see cref="DaemonSetPods.Build"/>.</summary>
    public required IReadOnlyList<JsonObject> PodsToCreate { get; init; }

    /// <summary>The pods to delete: extra pods, pods on nodes that no longer qualify or are gone, finished pods, and old pods the rolling update replaces.</summary>
    public required IReadOnlyList<JsonObject> PodsToDelete { get; init; }

    /// <summary>The failed pods among <see cref="PodsToDelete"/> (the controller reports each as a FailedDaemonPod Warning event).</summary>
    public required IReadOnlyList<JsonObject> FailedPods { get; init; }

    /// <summary>The status to write (the whole status object), as kubectl rollout status reads it.</summary>
    public required JsonObject Status { get; init; }

    /// <summary>When to sync again without an event: a failed pod's back-off ends, or a ready pod turns available after minReadySeconds.</summary>
    public TimeSpan? RequeueAfter { get; init; }
}
