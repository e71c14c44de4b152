using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>apps/v1 DaemonSet: one pod on each eligible node.</summary>
public static class DaemonSetKind
{
    /// <summary>How a daemon set replaces old pods.</summary>
    public static SchemaNode UpdateStrategy { get; } = Schemas.Object(
        "How old pods are replaced when the template changes.",
        ("type", Schemas.Enum("RollingUpdate, or OnDelete (new pods only once old ones are deleted by hand).", "RollingUpdate", "OnDelete").WithDefault(JsonValue.Create("RollingUpdate"))),
        ("rollingUpdate", Schemas.Object(
            "Pace of a rolling update; only with type RollingUpdate.",
            ("maxUnavailable", Schemas.IntOrString("Nodes whose pod may be unavailable during the update, as a number or a percentage (rounded up).").WithDefault(JsonValue.Create(1))),
            ("maxSurge", Schemas.IntOrString("Nodes that may run an old and a new pod at once, as a number or a percentage (rounded up).").WithDefault(JsonValue.Create(0))))));

    /// <summary>The daemon set spec.</summary>
    public static SchemaNode Spec { get; } = Schemas.Object(
        "What the daemon set should run.",
        ("selector", MetaSchemas.LabelSelector.Describe("Label query for the pods this daemon set manages; must match the template's labels and cannot change.")),
        ("template", PodSchemas.PodTemplateSpec.Describe("The pod to run on each node. Its restartPolicy must be Always.")),
        ("updateStrategy", UpdateStrategy.WithDefault(new JsonObject
        {
            ["type"] = "RollingUpdate",
            ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 1, ["maxSurge"] = 0 },
        })),
        ("minReadySeconds", Schemas.Int32("Seconds a new pod must be ready, without a container crashing, to count as available.")),
        ("revisionHistoryLimit", Schemas.Int32("Old revisions kept for rollback.").WithDefault(JsonValue.Create(10))))
        .Require("selector", "template");

    /// <summary>The daemon set status.</summary>
    public static SchemaNode Status { get; } = Schemas.Object(
        "What the daemon set is now.",
        ("currentNumberScheduled", Schemas.Int32("Nodes running at least one daemon pod that should.")),
        ("numberMisscheduled", Schemas.Int32("Nodes running a daemon pod that should not.")),
        ("desiredNumberScheduled", Schemas.Int32("Nodes that should run the daemon pod.")),
        ("numberReady", Schemas.Int32("Nodes whose daemon pod is ready.")),
        ("observedGeneration", Schemas.Int64("The generation the controller last acted on.")),
        ("updatedNumberScheduled", Schemas.Int32("Nodes running the pod of the current template.")),
        ("numberAvailable", Schemas.Int32("Nodes whose daemon pod has been ready for minReadySeconds.")),
        ("numberUnavailable", Schemas.Int32("Nodes that should run an available daemon pod and do not.")),
        ("collisionCount", Schemas.Int32("Count of hash collisions of the template, used to name revisions uniquely.")),
        ("conditions", ConditionSchemas.Keyed(
            ConditionSchemas.Condition("One aspect of the daemon set's state.", "lastTransitionTime"),
            "Latest observations about the daemon set.")))
        .Require("currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady");

    /// <summary>The DaemonSet kind.</summary>
    public static KindDefinition Definition { get; } = new()
    {
        Defaulting = KindDefaults.DaemonSet,
        Group = "apps",
        Version = "v1",
        Kind = "DaemonSet",
        Plural = "daemonsets",
        Singular = "daemonset",
        Namespaced = true,
        ShortNames = ["ds"],
        Categories = ["all"],
        Subresources = ["status"],
        Schema = MetaSchemas.KindObject(
            "Runs a copy of a pod on every node that matches.",
            ("spec", Spec),
            ("status", Status)),
        PrinterColumns =
        [
            TableCells.IntegerColumn("Desired", "Nodes that should run the pod.", "status", "desiredNumberScheduled"),
            TableCells.IntegerColumn("Current", "Nodes running the pod.", "status", "currentNumberScheduled"),
            TableCells.IntegerColumn("Ready", "Nodes whose pod is ready.", "status", "numberReady"),
            TableCells.IntegerColumn("Up-to-date", "Nodes running the current template.", "status", "updatedNumberScheduled"),
            TableCells.IntegerColumn("Available", "Nodes whose pod is available.", "status", "numberAvailable"),
            new()
            {
                Name = "Node Selector",
                Description = "Node labels the pod template requires.",
                Cell = (obj, _) => TableCells.FormatLabels(TableCells.At(obj, "spec", "template", "spec", "nodeSelector")),
            },
            TableCells.AgeColumn,
            .. TableCells.WorkloadWideColumns(obj => TableCells.SelectorText(obj["spec"]?["selector"])),
        ],
    };
}
