namespace EdgeCloud.Agent.Streams;

/// <summary>Which container a node stream is for, as the cloud named it.</summary>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Pod">The pod's name.</param>
/// <param name="PodUid">The pod's metadata.uid; a pod of that name with another uid is not the one meant.</param>
/// <param name="Container">The container's name in the pod spec.</param>
/// <param name="Previous">The previous, terminated instance of the container (kubectl logs --previous) rather than the current one.</param>
internal sealed record PodContainerQuery(string Namespace, string Pod, string PodUid, string Container, bool Previous);
