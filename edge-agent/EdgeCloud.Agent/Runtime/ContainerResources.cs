namespace EdgeCloud.Agent.Runtime;

/// <summary>
/// The compute resources of one container (resources.requests and resources.limits), in the units runtimes apply.
/// The docker runtime enforces them through the engine's cgroup settings, as the kubelet does through the CRI;
/// the process runtime does not (its processes run in the agent's own cgroup).
/// </summary>
internal sealed record ContainerResources
{
    /// <summary>No requests and no limits (a BestEffort container).</summary>
    public static ContainerResources None { get; } = new();

    /// <summary>limits.memory in bytes, or null for no limit.</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>limits.cpu in millicores, or null for no limit.</summary>
    public long? CpuLimitMillicores { get; init; }

    /// <summary>
    /// requests.cpu in millicores; when only a limit is given it is the limit, as the API server defaults requests
    /// from limits. Null when neither is given.
    /// </summary>
    public long? CpuRequestMillicores { get; init; }
}
