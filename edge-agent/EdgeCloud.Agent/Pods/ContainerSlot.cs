using EdgeCloud.Agent.Runtime;

namespace EdgeCloud.Agent.Pods;

/// <summary>What a <see cref="PodWorker"/> tracks of one container of its pod between passes.</summary>
internal sealed class ContainerSlot(ContainerPlan plan, bool init)
{
    public ContainerPlan Plan { get; } = plan;

    /// <summary>An init container (runs to completion before the others start).</summary>
    public bool Init { get; } = init;

    /// <summary>The runtime's id of the current attempt; null before the first start.</summary>
    public string? Id { get; set; }

    /// <summary>The current attempt (its restartCount); -1 before the first start.</summary>
    public int Attempt { get; set; } = -1;

    /// <summary>The current attempt's state as last inspected.</summary>
    public ContainerState? State { get; set; }

    /// <summary>The previous attempt, once it has terminated (lastState).</summary>
    public ContainerState? LastTerminated { get; set; }

    /// <summary>Why it is not running (CrashLoopBackOff, CreateContainerConfigError, ErrImagePull...), or null.</summary>
    public string? WaitingReason { get; set; }

    public string? WaitingMessage { get; set; }

    /// <summary>No restart before this time (kubelet's crash back-off).</summary>
    public DateTimeOffset? RestartAfter { get; set; }

    /// <summary>The back-off the next failure adds (10 s doubling to 5 min).</summary>
    public TimeSpan NextBackOff { get; set; } = TimeSpan.Zero;

    /// <summary>The readiness probe passes (or there is none and it runs).</summary>
    public bool Ready { get; set; }

    public ProbeTracker? Liveness { get; set; }

    public ProbeTracker? Readiness { get; set; }

    /// <summary>The id whose exit is being awaited (so it is awaited once).</summary>
    public string? WatchedId { get; set; }

    public bool Running => State is { Running: true };

    public bool Exited => State is { Running: false, ExitCode: not null };
}
