using System.Diagnostics.CodeAnalysis;
using EdgeCloud.Agent.Runtime;

namespace EdgeCloud.Agent.Streams;

/// <summary>The answer to a <see cref="PodContainerQuery"/>: the runtime and container id, or why there is none.</summary>
internal sealed record ContainerResolution
{
    private ContainerResolution(IContainerRuntime? runtime, string? containerId, string? error)
    {
        Runtime = runtime;
        ContainerId = containerId;
        Error = error;
    }

    /// <summary>The runtime that runs the container; null when not found.</summary>
    public IContainerRuntime? Runtime { get; }

    /// <summary>The runtime's id of the container; null when not found.</summary>
    public string? ContainerId { get; }

    /// <summary>Why the container cannot be served, in words for the kubectl user; null when found.</summary>
    public string? Error { get; }

    /// <summary>True when <see cref="Runtime"/> and <see cref="ContainerId"/> are set.</summary>
    [MemberNotNullWhen(true, nameof(Runtime), nameof(ContainerId))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Found => Error is null;

    /// <summary>The container was found.</summary>
    public static ContainerResolution Of(IContainerRuntime runtime, string containerId) => new(runtime, containerId, null);

    /// <summary>No such container now, e.g. <c>container "x" in pod "y" is waiting to start: ContainerCreating</c>.</summary>
    public static ContainerResolution NotFound(string error) => new(null, null, error);
}
