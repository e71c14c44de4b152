using System.Text.Json.Nodes;

namespace EdgeCloud.Controllers.Workloads.Jobs;

/// <summary>What one sync of a Job should do, and the status it should write.</summary>
public sealed record JobPlan
{
    /// <summary>
    /// The status to write (the whole status object), before any pod is touched: it records finished pods as
    /// uncounted, which makes removing their finalizers safe.
    /// </summary>
    public required JsonObject Status { get; init; }

    /// <summary>Pods to create now, built by <see cref="JobPods.Build"/>.</summary>
    public required IReadOnlyList<JsonObject> PodsToCreate { get; init; }

    /// <summary>Active pods to delete: extra ones over parallelism, or all of them when the job is suspended or failing.</summary>
    public required IReadOnlyList<JsonObject> PodsToDelete { get; init; }

    /// <summary>Pods whose <see cref="JobPods.TrackingFinalizer"/> to remove, once <see cref="Status"/> is written.</summary>
    public required IReadOnlyList<JsonObject> PodsToRemoveFinalizer { get; init; }

    /// <summary>Events to record on the Job.</summary>
    public required IReadOnlyList<JobEvent> Events { get; init; }

    /// <summary>
    /// When pods are wanted but the failure back-off holds them: how long until they may be created (the job is to
    /// be synced again then).
    /// </summary>
    public TimeSpan? BackoffDelay { get; init; }

    /// <summary>When to sync again without an event: the back-off ends, or the active deadline passes.</summary>
    public TimeSpan? RequeueAfter { get; init; }

    /// <summary>The job is Complete or Failed: only finalizer removal is left, and deletion when its TTL runs out (<see cref="JobTtl"/>).</summary>
    public bool Finished { get; init; }
}
