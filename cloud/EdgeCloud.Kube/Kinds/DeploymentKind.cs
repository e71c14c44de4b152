using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>apps/v1 Deployment: declarative rollouts of replica sets.</summary>
public static class DeploymentKind
{
    /// <summary>How a deployment replaces old pods with new ones.</summary>
    public static SchemaNode Strategy { get; } = Schemas.Object(
        "How old pods are replaced by new ones.",
        ("type", Schemas.Enum("Recreate (all old pods go first) or RollingUpdate.", "Recreate", "RollingUpdate").WithDefault(JsonValue.Create("RollingUpdate"))),
        ("rollingUpdate", Schemas.Object(
            "Pace of a rolling update; only with type RollingUpdate.",
            ("maxUnavailable", Schemas.IntOrString("Pods that may be unavailable during the update, as a number or a percentage of replicas (rounded down).").WithDefault(JsonValue.Create("25%"))),
            ("maxSurge", Schemas.IntOrString("Pods that may exist above replicas during the update, as a number or a percentage (rounded up).").WithDefault(JsonValue.Create("25%"))))))
        // retainKeys: a patch that changes type to Recreate drops rollingUpdate instead of merging it in.
        with { PatchStrategy = "retainKeys" };

    /// <summary>The deployment spec.</summary>
    public static SchemaNode Spec { get; } = Schemas.Object(
        "What the deployment should run.",
        ("replicas", Schemas.Int32("Number of pods wanted.").WithDefault(JsonValue.Create(1))),
        ("selector", MetaSchemas.LabelSelector.Describe("Label query for the pods this deployment manages; must match the template's labels and cannot change.")),
        ("template", PodSchemas.PodTemplateSpec.Describe("The pods to create. Its restartPolicy must be Always.")),
        ("strategy", Strategy.WithDefault(new JsonObject
        {
            ["type"] = "RollingUpdate",
            ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = "25%", ["maxSurge"] = "25%" },
        })),
        ("minReadySeconds", Schemas.Int32("Seconds a new pod must be ready, without a container crashing, to count as available.")),
        ("revisionHistoryLimit", Schemas.Int32("Old replica sets kept for rollback.").WithDefault(JsonValue.Create(10))),
        ("paused", Schemas.Boolean("When true, changes to the template do not start a rollout.")),
        ("progressDeadlineSeconds", Schemas.Int32("Seconds a rollout may make no progress before it is reported as failed.").WithDefault(JsonValue.Create(600))))
        .Require("selector", "template");

    /// <summary>The deployment status.</summary>
    public static SchemaNode Status { get; } = Schemas.Object(
        "What the deployment is now.",
        ("observedGeneration", Schemas.Int64("The generation the controller last acted on.")),
        ("replicas", Schemas.Int32("Pods (not being deleted) of all its replica sets.")),
        ("updatedReplicas", Schemas.Int32("Pods (not being deleted) made from the current template.")),
        ("readyReplicas", Schemas.Int32("Pods with a Ready condition.")),
        ("availableReplicas", Schemas.Int32("Pods ready for at least minReadySeconds.")),
        ("unavailableReplicas", Schemas.Int32("Pods still needed to reach replicas available.")),
        ("terminatingReplicas", Schemas.Int32("Pods being deleted (set only with the DeploymentReplicaSetTerminatingReplicas feature).")),
        ("conditions", ConditionSchemas.Keyed(
            ConditionSchemas.Condition("One aspect of the deployment's state: Available, Progressing or ReplicaFailure.", "lastUpdateTime", "lastTransitionTime"),
            "Latest observations about the deployment.")),
        ("collisionCount", Schemas.Int32("Count of hash collisions of the template, used to name new replica sets uniquely.")));

    /// <summary>The Deployment kind.</summary>
    public static KindDefinition Definition { get; } = new()
    {
        Defaulting = KindDefaults.Deployment,
        Group = "apps",
        Version = "v1",
        Kind = "Deployment",
        Plural = "deployments",
        Singular = "deployment",
        Namespaced = true,
        ShortNames = ["deploy"],
        Categories = ["all"],
        Subresources = ["status", "scale"],
        Schema = MetaSchemas.KindObject(
            "Keeps a number of pods from one template running and rolls out template changes.",
            ("spec", Spec),
            ("status", Status)),
        PrinterColumns =
        [
            new()
            {
                Name = "Ready",
                Description = "Ready pods out of those wanted.",
                Cell = (obj, _) => $"{TableCells.Number(obj, "status", "readyReplicas")}/{TableCells.Number(obj, "spec", "replicas")}",
            },
            TableCells.IntegerColumn("Up-to-date", "Pods made from the current template.", "status", "updatedReplicas"),
            TableCells.IntegerColumn("Available", "Pods available to serve.", "status", "availableReplicas"),
            TableCells.AgeColumn,
            .. TableCells.WorkloadWideColumns(obj => TableCells.SelectorText(obj["spec"]?["selector"])),
        ],
    };
}
