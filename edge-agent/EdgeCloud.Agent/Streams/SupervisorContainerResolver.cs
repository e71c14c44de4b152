using EdgeCloud.Agent.Pods;

namespace EdgeCloud.Agent.Streams;

/// <summary>
/// Resolves node streams against the pods this agent runs (<see cref="PodSupervisor.FindContainer"/>). Wire it as
/// <c>new PodStreamHandler(new SupervisorContainerResolver(supervisor), time, logger).HandleAsync</c> for the
/// tunnel's stream handler. The reasons are the kubelet's wording, which kubectl users know.
/// </summary>
internal sealed class SupervisorContainerResolver(PodSupervisor pods) : IPodContainerResolver
{
    public Task<ContainerResolution> ResolveAsync(PodContainerQuery query, CancellationToken cancellationToken)
    {
        var id = pods.FindContainer(query.Namespace, query.Pod, query.Container, query.Previous);
        return Task.FromResult(id is not null
            ? ContainerResolution.Of(pods.Runtime, id)
            : ContainerResolution.NotFound(query.Previous
                ? $"previous terminated container \"{query.Container}\" in pod \"{query.Pod}\" not found"
                : $"container \"{query.Container}\" in pod \"{query.Pod}\" is waiting to start"));
    }
}
