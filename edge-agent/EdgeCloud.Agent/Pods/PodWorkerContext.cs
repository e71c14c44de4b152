using EdgeCloud.Agent.Runtime;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Agent.Pods;

/// <summary>What every <see cref="PodWorker"/> of an agent shares.</summary>
internal sealed record PodWorkerContext
{
    public required IContainerRuntime Runtime { get; init; }

    public required PodEnvironment Environment { get; init; }

    public required PodVolumes Volumes { get; init; }

    public required ProbeRunner Probes { get; init; }

    public required PodStatusReporter Statuses { get; init; }

    public required PodEventRecorder Events { get; init; }

    public required TimeProvider Time { get; init; }

    public required ILogger Logger { get; init; }

    public required string NodeName { get; init; }

    /// <summary>The node's address: hostIP and podIP (pods share the node's network).</summary>
    public required string HostIp { get; init; }

    /// <summary>Where each pod gets its directory (named by uid).</summary>
    public required string PodsDirectory { get; init; }

    /// <summary>Called once a deleted pod's containers have all stopped: the cloud may now remove the pod.</summary>
    public required Action<PodPlan> DeletionReady { get; init; }
}
