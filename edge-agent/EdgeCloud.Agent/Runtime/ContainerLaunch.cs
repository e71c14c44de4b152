namespace EdgeCloud.Agent.Runtime;

/// <summary>Everything a runtime needs to start one container of a pod, already resolved (env values read from ConfigMaps and Secrets, volumes materialized on the host).</summary>
internal sealed record ContainerLaunch
{
    /// <summary>metadata.uid of the pod.</summary>
    public required string PodUid { get; init; }

    public required string PodNamespace { get; init; }

    public required string PodName { get; init; }

    /// <summary>The container's name in the pod spec.</summary>
    public required string ContainerName { get; init; }

    /// <summary>0 for the first start, then one more per restart (the container's restartCount).</summary>
    public required int Attempt { get; init; }

    /// <summary>The image reference (the docker runtime pulls it when missing; the process runtime ignores it).</summary>
    public required string Image { get; init; }

    /// <summary>
    /// Image pull policy, as in the pod spec: "Always", "IfNotPresent" or "Never". The docker runtime honours it; the
    /// process runtime ignores it.
    /// </summary>
    public string ImagePullPolicy { get; init; } = "IfNotPresent";

    /// <summary>The container's command (entrypoint); empty means the image's.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>The container's args; empty means the image's (or none).</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Environment variables, in order, values already resolved ($(VAR) references expanded).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>workingDir of the container, or null for the runtime's default (the process runtime: the pod directory).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Host directories or files to mount: the pod's volumes, already materialized by the agent.</summary>
    public IReadOnlyList<ContainerMount> Mounts { get; init; } = [];

    /// <summary>
    /// A directory on the host that belongs to this pod alone and lives as long as the pod (created by the agent):
    /// the process runtime runs the container's processes there and keeps its state and logs under it.
    /// </summary>
    public required string PodDirectory { get; init; }

    /// <summary>Run with a terminal (tty: true in the spec): the docker runtime allocates one; the process runtime ignores it.</summary>
    public bool Tty { get; init; }

    /// <summary>Requests and limits of cpu and memory: the docker runtime enforces them; the process runtime ignores them.</summary>
    public ContainerResources Resources { get; init; } = ContainerResources.None;

    /// <summary>
    /// Told what the runtime does with the image, with the kubelet's event reasons: "Pulling" before a pull, "Pulled"
    /// after one or when the image is already there. The process runtime has no images and says nothing.
    /// </summary>
    public Action<string, string>? ImageProgress { get; init; }
}
