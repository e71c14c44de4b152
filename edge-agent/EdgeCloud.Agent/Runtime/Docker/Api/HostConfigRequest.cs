namespace EdgeCloud.Agent.Runtime.Docker.Api;

/// <summary>The HostConfig part of a container create request.</summary>
internal sealed record HostConfigRequest
{
    /// <summary>"host:container" or "host:container:ro".</summary>
    public IReadOnlyList<string> Binds { get; init; } = [];
}
