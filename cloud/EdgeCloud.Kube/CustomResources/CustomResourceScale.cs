namespace EdgeCloud.Kube.CustomResources;

/// <summary>
/// A version's scale subresource (spec.versions[].subresources.scale): where autoscaling/v1 Scale reads and writes
/// the replica counts and reads the selector of the custom object.
/// </summary>
public sealed record CustomResourceScale
{
    /// <summary>Path under .spec of the wanted replicas, e.g. ".spec.replicas"; Scale.spec.replicas reads and writes it.</summary>
    public required CustomResourceJsonPath SpecReplicasPath { get; init; }

    /// <summary>Path under .status of the observed replicas; Scale.status.replicas reads it (0 when absent).</summary>
    public required CustomResourceJsonPath StatusReplicasPath { get; init; }

    /// <summary>Path under .spec or .status of the serialized label selector; Scale.status.selector reads it. Optional.</summary>
    public CustomResourceJsonPath? LabelSelectorPath { get; init; }
}
