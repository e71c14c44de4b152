namespace EdgeCloud.Agent.Runtime.Docker;

/// <summary>
/// The labels the docker runtime puts on every container it creates: they mark it as the agent's (so that
/// <see cref="DockerRuntime.ListAsync"/> finds only ours, after an agent restart too) and say whose it is.
/// </summary>
internal static class DockerLabels
{
    /// <summary>Marks the container as created by edge-agent; its value is <see cref="CreatedByValue"/>.</summary>
    public const string CreatedBy = "edgecloud.io/created-by";

    /// <summary>The value of <see cref="CreatedBy"/>.</summary>
    public const string CreatedByValue = "edge-agent";

    /// <summary>metadata.uid of the pod.</summary>
    public const string PodUid = "edgecloud.io/pod-uid";

    /// <summary>metadata.namespace of the pod.</summary>
    public const string PodNamespace = "edgecloud.io/pod-namespace";

    /// <summary>metadata.name of the pod.</summary>
    public const string PodName = "edgecloud.io/pod-name";

    /// <summary>The container's name in the pod spec.</summary>
    public const string ContainerName = "edgecloud.io/container-name";

    /// <summary>The attempt (restart count) the container was started for.</summary>
    public const string Attempt = "edgecloud.io/attempt";
}
