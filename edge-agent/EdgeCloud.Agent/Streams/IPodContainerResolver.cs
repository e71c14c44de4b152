namespace EdgeCloud.Agent.Streams;

/// <summary>Finds the runtime container behind a pod's container for <see cref="PodStreamHandler"/> (the pod sync loop knows).</summary>
internal interface IPodContainerResolver
{
    /// <summary>The container of <paramref name="query"/>, or a reason it cannot be served.</summary>
    Task<ContainerResolution> ResolveAsync(PodContainerQuery query, CancellationToken cancellationToken);
}
