namespace EdgeCloud.Agent.Pods;

/// <summary>A volumeMount: the pod volume <paramref name="Volume"/> at <paramref name="MountPath"/> (optionally one <paramref name="SubPath"/> of it).</summary>
internal sealed record VolumeMountPlan(string Volume, string MountPath, bool ReadOnly, string? SubPath);
