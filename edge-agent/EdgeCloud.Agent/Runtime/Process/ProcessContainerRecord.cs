namespace EdgeCloud.Agent.Runtime.Process;

/// <summary>
/// What the process runtime keeps on disk of one container (<c>&lt;pod dir&gt;/.containers/&lt;id&gt;/state.json</c>):
/// enough to find it again, check that its pid still names the same process, and exec into it after an agent restart.
/// </summary>
internal sealed record ProcessContainerRecord
{
    public required string Id { get; init; }

    public required string PodUid { get; init; }

    public required string PodNamespace { get; init; }

    public required string PodName { get; init; }

    public required string ContainerName { get; init; }

    public required int Attempt { get; init; }

    public string Image { get; init; } = "";

    /// <summary>The command line as run (command, then args), the executable resolved to a path.</summary>
    public IReadOnlyList<string> CommandLine { get; init; } = [];

    /// <summary>The process's complete environment (the pod's, plus the PATH and HOME defaults).</summary>
    public IReadOnlyList<ProcessEnvironmentVariable> Environment { get; init; } = [];

    /// <summary>The absolute working directory of the process.</summary>
    public string WorkingDirectory { get; init; } = "";

    /// <summary>The pid of the exit-status wrapper (a /bin/sh), or null before it is known.</summary>
    public int? WrapperPid { get; init; }

    /// <summary>The wrapper's start time in clock ticks since boot (/proc/&lt;pid&gt;/stat field 22): tells pid reuse apart.</summary>
    public long? WrapperStartTicks { get; init; }

    /// <summary>The pid of the container's process, also its session and process group id; null before it is known.</summary>
    public int? Pid { get; init; }

    /// <summary>The container process's start time in clock ticks since boot, as <see cref="WrapperStartTicks"/>.</summary>
    public long? PidStartTicks { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>The kernel's boot id when the container started (/proc/sys/kernel/random/boot_id): after a reboot, no pid of it can be alive.</summary>
    public string? BootId { get; init; }

    /// <summary>Why the container could not start, or null when it did.</summary>
    public string? StartError { get; init; }

    /// <summary>When the start failed.</summary>
    public DateTimeOffset? FailedAt { get; init; }
}
