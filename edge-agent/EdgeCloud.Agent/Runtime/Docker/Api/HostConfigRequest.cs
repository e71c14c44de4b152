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

    /// <summary>Memory limit in bytes; null for none.</summary>
    public long? Memory { get; init; }

    /// <summary>Memory plus swap in bytes: set to <see cref="Memory"/>, so a container gets no swap, as under the kubelet.</summary>
    public long? MemorySwap { get; init; }

    /// <summary>CFS period in microseconds, with <see cref="CpuQuota"/> the cpu limit.</summary>
    public long? CpuPeriod { get; init; }

    /// <summary>CFS quota in microseconds per <see cref="CpuPeriod"/>.</summary>
    public long? CpuQuota { get; init; }

    /// <summary>Relative cpu weight (cpu.shares), from the cpu request.</summary>
    public long? CpuShares { get; init; }
}
