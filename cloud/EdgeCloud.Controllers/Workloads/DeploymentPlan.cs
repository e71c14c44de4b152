using System.Text.Json.Nodes;

namespace EdgeCloud.Controllers.Workloads;

/// <summary>
/// The writes one Deployment sync decided on, in the order to make them: create, update, delete the ReplicaSets,
/// then the Deployment's revision annotation and status. Like one pass of kube-controller-manager, a plan takes one
/// step of a rollout; the writes cause watch events and the next plan takes the next step.
/// </summary>
public sealed record DeploymentPlan
{
    /// <summary>A new ReplicaSet to create, or null.</summary>
    public JsonObject? Create { get; init; }

    /// <summary>Whole ReplicaSets (as read, with their resourceVersion) whose spec.replicas, minReadySeconds or annotations changed: write each with an update.</summary>
    public required IReadOnlyList<JsonObject> Update { get; init; }

    /// <summary>Old, fully scaled-down ReplicaSets beyond spec.revisionHistoryLimit: delete each.</summary>
    public required IReadOnlyList<JsonObject> Delete { get; init; }

    /// <summary>The new value of the Deployment's deployment.kubernetes.io/revision annotation, or null when it stays.</summary>
    public string? Revision { get; init; }

    /// <summary>The Deployment's whole new status.</summary>
    public required JsonObject Status { get; init; }

    /// <summary>True when <see cref="Status"/> differs from the stored status and must be written through /status.</summary>
    public required bool StatusChanged { get; init; }

    /// <summary>Events to record on the Deployment.</summary>
    public required IReadOnlyList<DeploymentEvent> Events { get; init; }

    /// <summary>
    /// When to plan again even if nothing changes: the instant the progress deadline would pass. Null when no
    /// deadline is pending (complete, timed out, paused, or no deadline set).
    /// </summary>
    public DateTimeOffset? RequeueAt { get; init; }
}
