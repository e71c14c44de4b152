using System.Text.Json.Nodes;

namespace EdgeCloud.Controllers.Workloads;

/// <summary>What a ReplicaSet must do to reach spec.replicas: create pods, or delete the listed ones (never both).</summary>
public sealed record ReplicaSetScale
{
    /// <summary>Pods to create from the template now; at most <see cref="ReplicaSetPlanning.BurstReplicas"/>.</summary>
    public required int Create { get; init; }

    /// <summary>Pods to delete, the ones upstream would pick first; at most <see cref="ReplicaSetPlanning.BurstReplicas"/>.</summary>
    public required IReadOnlyList<JsonObject> Delete { get; init; }

    /// <summary>The number of pods the set is short of (negative) or over (positive) its spec.replicas.</summary>
    public required int Diff { get; init; }
}
