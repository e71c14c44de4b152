namespace EdgeCloud.Agent.Runtime.Docker.Api;

/// <summary>The HostConfig part of a container create request.</summary>
internal sealed record HostConfigRequest
{
    /// <summary>"host:container" or "host:container:ro".</summary>
    public IReadOnlyList<string> Binds { get; init; } = [];

    /// <summary>
    /// "host": pods share the node's network, as with the process runtime (there is no CNI on an edge node), so a
    /// pod's IP is the node's and probes reach it on the node's loopback.
    /// </summary>
    public string NetworkMode { get; init; } = "host";
}
