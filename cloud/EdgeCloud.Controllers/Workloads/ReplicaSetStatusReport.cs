using System.Text.Json.Nodes;

namespace EdgeCloud.Controllers.Workloads;

/// <summary>A ReplicaSet's status as computed from its pods, and when to compute it again.</summary>
public sealed record ReplicaSetStatusReport
{
    /// <summary>The whole new status object (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration, conditions).</summary>
    public required JsonObject Status { get; init; }

    /// <summary>True when <see cref="Status"/> differs from the stored status, so it must be written through /status.</summary>
    public required bool Changed { get; init; }

    /// <summary>
    /// When a ready pod reaches minReadySeconds and becomes available: nothing about the pod changes then, so the
    /// caller sets a timer for this instant instead of polling. Null when no pod is waiting.
    /// </summary>
    public DateTimeOffset? RecheckAt { get; init; }
}
