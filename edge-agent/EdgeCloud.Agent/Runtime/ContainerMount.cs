namespace EdgeCloud.Agent.Runtime;

/// <summary>One volume mount: <see cref="HostPath"/> on this machine appears at <see cref="ContainerPath"/> inside the container.</summary>
internal sealed record ContainerMount(string HostPath, string ContainerPath, bool ReadOnly);
