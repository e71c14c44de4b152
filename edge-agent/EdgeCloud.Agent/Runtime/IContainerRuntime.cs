namespace EdgeCloud.Agent.Runtime;

/// <summary>
/// Runs the containers of the pods bound to this node: host processes (<c>process</c>) or containers of a
/// Docker-compatible engine (<c>docker</c>). The pod lifecycle (restart policy, back-off, probes, status) lives
/// above this interface; a runtime only starts, stops, inspects, and serves logs and exec of one container at a
/// time. Containers carry their pod's uid, name and attempt, so that after an agent restart <see cref="ListAsync"/>
/// finds what the previous run started instead of starting duplicates.
/// </summary>
internal interface IContainerRuntime : IAsyncDisposable
{
    /// <summary>"process" or "docker", as the node reports it.</summary>
    string Name { get; }

    /// <summary>Creates and starts one container (pulling its image first where the runtime has images); returns its id.</summary>
    Task<string> StartAsync(ContainerLaunch launch, CancellationToken cancellationToken);

    /// <summary>
    /// Stops a container: SIGTERM, then SIGKILL once <paramref name="gracePeriod"/> has passed. Returns once it has
    /// exited; a container that has already exited or is unknown is not an error.
    /// </summary>
    Task StopAsync(string id, TimeSpan gracePeriod, CancellationToken cancellationToken);

    /// <summary>Removes a stopped container and what the runtime keeps of it (its logs included). Unknown ids are not an error.</summary>
    Task RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>The container's state now, or null when the runtime does not know the id.</summary>
    Task<ContainerState?> InspectAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every container this agent's runtime created and has not removed, running or exited, including those of an earlier agent run.</summary>
    Task<IReadOnlyList<ContainerState>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Completes with the exit code once the container has exited (at once when it already has).</summary>
    Task<int> WaitForExitAsync(string id, CancellationToken cancellationToken);

    /// <summary>Writes the container's output (stdout and stderr interleaved, as kubectl logs shows it) to <paramref name="output"/>; with <see cref="ContainerLogRequest.Follow"/> it keeps writing until the container exits or the token fires.</summary>
    Task WriteLogsAsync(string id, ContainerLogRequest request, Stream output, CancellationToken cancellationToken);

    /// <summary>Runs a command in the container (its environment, working directory and mounts) and returns its exit code.</summary>
    Task<int> ExecAsync(string id, ContainerExec exec, CancellationToken cancellationToken);
}
