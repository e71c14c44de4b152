namespace EdgeCloud.Agent.Runtime;

/// <summary>What a runtime knows of one container: whose it is, and whether it runs or how it ended.</summary>
internal sealed record ContainerState
{
    public required string Id { get; init; }

    public required string PodUid { get; init; }

    public required string PodNamespace { get; init; }

    public required string PodName { get; init; }

    public required string ContainerName { get; init; }

    public required int Attempt { get; init; }

    /// <summary>Running now.</summary>
    public required bool Running { get; init; }

    /// <summary>When it started; null when it never did.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it exited; null while it runs.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The exit code once exited (128 + signal number for a signal, as a shell reports it).</summary>
    public int? ExitCode { get; init; }

    /// <summary>A short machine-readable reason once exited: "Completed" (code 0), "Error", "OOMKilled", "StartError".</summary>
    public string? Reason { get; init; }

    /// <summary>A human-readable detail, e.g. why it could not start.</summary>
    public string? Message { get; init; }

    /// <summary>The image it runs ("" for the process runtime when the pod named none).</summary>
    public string Image { get; init; } = "";

    /// <summary>The runtime's id of that image (docker: sha256:...), or null.</summary>
    public string? ImageId { get; init; }
}
