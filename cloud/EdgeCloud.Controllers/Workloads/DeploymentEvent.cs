namespace EdgeCloud.Controllers.Workloads;

/// <summary>An Event the Deployment controller records on the Deployment (what <c>kubectl describe deployment</c> lists).</summary>
public sealed record DeploymentEvent
{
    /// <summary>Normal or Warning.</summary>
    public required string Type { get; init; }

    /// <summary>The machine-readable reason, e.g. ScalingReplicaSet.</summary>
    public required string Reason { get; init; }

    /// <summary>The message, worded as kube-controller-manager words it.</summary>
    public required string Message { get; init; }
}
