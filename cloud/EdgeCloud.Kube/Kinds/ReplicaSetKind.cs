using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>apps/v1 ReplicaSet: a number of identical pods.</summary>
public static class ReplicaSetKind
{
    /// <summary>The replica set spec.</summary>
    public static SchemaNode Spec { get; } = Schemas.Object(
        "What the replica set should run.",
        ("replicas", Schemas.Int32("Number of pods wanted.").WithDefault(JsonValue.Create(1))),
        ("minReadySeconds", Schemas.Int32("Seconds a new pod must be ready, without a container crashing, to count as available.")),
        ("selector", MetaSchemas.LabelSelector.Describe("Label query for the pods counted as replicas; must match the template's labels.")),
        ("template", PodSchemas.PodTemplateSpec.Describe("The pods created when too few match the selector.")))
        .Require("selector");

    /// <summary>The replica set status.</summary>
    public static SchemaNode Status { get; } = Schemas.Object(
        "What the replica set is now.",
        ("replicas", Schemas.Int32("Pods (not being deleted) that match the selector.")),
        ("fullyLabeledReplicas", Schemas.Int32("Pods whose labels match the template's labels.")),
        ("readyReplicas", Schemas.Int32("Pods with a Ready condition.")),
        ("availableReplicas", Schemas.Int32("Pods ready for at least minReadySeconds.")),
        ("terminatingReplicas", Schemas.Int32("Pods being deleted (set only with the DeploymentReplicaSetTerminatingReplicas feature).")),
        ("observedGeneration", Schemas.Int64("The generation the controller last acted on.")),
        ("conditions", ConditionSchemas.Keyed(
            ConditionSchemas.Condition("One aspect of the replica set's state, e.g. ReplicaFailure.", "lastTransitionTime"),
            "Latest observations about the replica set.")))
        .Require("replicas");

    /// <summary>The ReplicaSet kind.</summary>
    public static KindDefinition Definition { get; } = new()
    {
        Defaulting = PodDefaults.ApplyToTemplate,
        Group = "apps",
        Version = "v1",
        Kind = "ReplicaSet",
        Plural = "replicasets",
        Singular = "replicaset",
        Namespaced = true,
        ShortNames = ["rs"],
        Categories = ["all"],
        Subresources = ["status", "scale"],
        Schema = MetaSchemas.KindObject(
            "Keeps a number of pods matching a selector running.",
            ("spec", Spec),
            ("status", Status)),
        PrinterColumns =
        [
            TableCells.IntegerColumn("Desired", "Number of pods wanted.", "spec", "replicas"),
            TableCells.IntegerColumn("Current", "Pods that match the selector.", "status", "replicas"),
            TableCells.IntegerColumn("Ready", "Pods with a Ready condition.", "status", "readyReplicas"),
            TableCells.AgeColumn,
            .. TableCells.WorkloadWideColumns(obj => TableCells.SelectorText(obj["spec"]?["selector"])),
        ],
    };
}
