namespace EdgeCloud.Agent.Runtime.Docker.Api;

/// <summary>State of GET /containers/{id}/json. Times are RFC 3339; "0001-01-01T00:00:00Z" means never.</summary>
internal sealed record ContainerStateResponse
{
    /// <summary>created, running, paused, restarting, removing, exited, dead (Podman also: configured, stopped).</summary>
    public string? Status { get; init; }

    public bool Running { get; init; }

    public bool OOMKilled { get; init; }

    public int ExitCode { get; init; }

    public string? Error { get; init; }

    public string? StartedAt { get; init; }

    public string? FinishedAt { get; init; }
}
