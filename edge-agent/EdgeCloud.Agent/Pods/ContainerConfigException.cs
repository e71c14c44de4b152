namespace EdgeCloud.Agent.Pods;

/// <summary>A container cannot be configured (a missing ConfigMap, Secret or key): its state is waiting, CreateContainerConfigError.</summary>
internal sealed class ContainerConfigException(string message) : Exception(message);
