using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;
using static EdgeCloud.Kube.Schema.Schemas;

namespace EdgeCloud.Kube.Kinds;

/// <summary>apps/v1 Deployment, ReplicaSet, DaemonSet and batch/v1 Job.</summary>
public static class WorkloadKinds
{
    /// <summary>apps/v1 Deployment.</summary>
    public static KindDefinition Deployment { get; } = Apps("Deployment", "deployments", ["deploy"], ["status", "scale"]) with
    {
        Schema = MetaSchemas.KindObject(
            "Declarative updates of a set of identical pods through ReplicaSets.",
            ("spec", Object(
                "Desired state.",
                ("replicas", Int32("Desired number of pods.").WithDefault(1)),
                ("selector", MetaSchemas.LabelSelector),
                ("template", PodSchemas.PodTemplateSpec),
                ("strategy", Object(
                    "How pods are replaced.",
                    ("type", Enum("Recreate or RollingUpdate.", "Recreate", "RollingUpdate").WithDefault("RollingUpdate")),
                    ("rollingUpdate", Object("Rolling update limits.", ("maxUnavailable", IntOrString("Pods that may be unavailable.").WithDefault("25%")), ("maxSurge", IntOrString("Pods above the desired count.").WithDefault("25%"))))) with
                { PatchStrategy = "retainKeys", Default = new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = "25%", ["maxSurge"] = "25%" } } }),
                ("minReadySeconds", Int32("Seconds a pod must be ready to count as available.")),
                ("revisionHistoryLimit", Int32("Old ReplicaSets to keep.").WithDefault(10)),
                ("paused", Boolean("Pause rollouts.")),
                ("progressDeadlineSeconds", Int32("Seconds before a rollout is reported stuck.").WithDefault(600))).Require("selector", "template")),
            ("status", Object(
                "Observed state.",
                ("observedGeneration", Int64("Generation observed.")),
                ("replicas", Int32("Pods.")),
                ("updatedReplicas", Int32("Pods of the current template.")),
                ("readyReplicas", Int32("Ready pods.")),
                ("availableReplicas", Int32("Available pods.")),
                ("unavailableReplicas", Int32("Unavailable pods.")),
                ("terminatingReplicas", Int32("Terminating pods.")),
                ("collisionCount", Int32("Hash collisions.")),
                ("conditions", KeyedList(Any("A deployment condition."), "type", "Conditions."))))),
        PrinterColumns =
        [
            new() { Name = "Ready", Description = "Ready / desired pods.", Cell = static (o, _) => $"{Columns.Int(o, "status", "readyReplicas")}/{Columns.Int(o, "spec", "replicas")}" },
            new() { Name = "Up-to-date", Type = "integer", Description = "Pods of the current template.", Cell = static (o, _) => Columns.Int(o, "status", "updatedReplicas") },
            new() { Name = "Available", Type = "integer", Description = "Available pods.", Cell = static (o, _) => Columns.Int(o, "status", "availableReplicas") },
            Columns.Age,
            .. TemplateColumns(),
        ],
    };

    /// <summary>apps/v1 ReplicaSet.</summary>
    public static KindDefinition ReplicaSet { get; } = Apps("ReplicaSet", "replicasets", ["rs"], ["status", "scale"]) with
    {
        Schema = MetaSchemas.KindObject(
            "Keeps a number of identical pods running.",
            ("spec", Object(
                "Desired state.",
                ("replicas", Int32("Desired number of pods.").WithDefault(1)),
                ("minReadySeconds", Int32("Seconds a pod must be ready to count as available.")),
                ("selector", MetaSchemas.LabelSelector),
                ("template", PodSchemas.PodTemplateSpec)).Require("selector")),
            ("status", Object(
                "Observed state.",
                ("replicas", Int32("Pods.")),
                ("fullyLabeledReplicas", Int32("Pods with all template labels.")),
                ("readyReplicas", Int32("Ready pods.")),
                ("availableReplicas", Int32("Available pods.")),
                ("terminatingReplicas", Int32("Terminating pods.")),
                ("observedGeneration", Int64("Generation observed.")),
                ("conditions", KeyedList(Any("A condition."), "type", "Conditions."))))),
        PrinterColumns =
        [
            new() { Name = "Desired", Type = "integer", Description = "Desired pods.", Cell = static (o, _) => Columns.Int(o, "spec", "replicas") },
            new() { Name = "Current", Type = "integer", Description = "Pods.", Cell = static (o, _) => Columns.Int(o, "status", "replicas") },
            new() { Name = "Ready", Type = "integer", Description = "Ready pods.", Cell = static (o, _) => Columns.Int(o, "status", "readyReplicas") },
            Columns.Age,
            .. TemplateColumns(),
        ],
    };

    /// <summary>apps/v1 DaemonSet.</summary>
    public static KindDefinition DaemonSet { get; } = Apps("DaemonSet", "daemonsets", ["ds"], ["status"]) with
    {
        Schema = MetaSchemas.KindObject(
            "Runs one pod on every eligible node.",
            ("spec", Object(
                "Desired state.",
                ("selector", MetaSchemas.LabelSelector),
                ("template", PodSchemas.PodTemplateSpec),
                ("updateStrategy", Object(
                    "How pods are replaced.",
                    ("type", Enum("RollingUpdate or OnDelete.", "RollingUpdate", "OnDelete")),
                    ("rollingUpdate", Object("Rolling update limits.", ("maxUnavailable", IntOrString("Pods that may be unavailable.")), ("maxSurge", IntOrString("Pods above one per node."))))) with
                { Default = new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 1, ["maxSurge"] = 0 } } }),
                ("minReadySeconds", Int32("Seconds a pod must be ready to count as available.")),
                ("revisionHistoryLimit", Int32("Old histories to keep.").WithDefault(10))).Require("selector", "template")),
            ("status", Object(
                "Observed state.",
                ("currentNumberScheduled", Int32("Nodes running a pod that should.")),
                ("numberMisscheduled", Int32("Nodes running a pod that should not.")),
                ("desiredNumberScheduled", Int32("Nodes that should run a pod.")),
                ("numberReady", Int32("Nodes with a ready pod.")),
                ("observedGeneration", Int64("Generation observed.")),
                ("updatedNumberScheduled", Int32("Nodes running the current template.")),
                ("numberAvailable", Int32("Nodes with an available pod.")),
                ("numberUnavailable", Int32("Nodes without an available pod.")),
                ("collisionCount", Int32("Hash collisions.")),
                ("conditions", KeyedList(Any("A condition."), "type", "Conditions."))))),
        PrinterColumns =
        [
            new() { Name = "Desired", Type = "integer", Description = "Nodes that should run a pod.", Cell = static (o, _) => Columns.Int(o, "status", "desiredNumberScheduled") },
            new() { Name = "Current", Type = "integer", Description = "Nodes running a pod.", Cell = static (o, _) => Columns.Int(o, "status", "currentNumberScheduled") },
            new() { Name = "Ready", Type = "integer", Description = "Nodes with a ready pod.", Cell = static (o, _) => Columns.Int(o, "status", "numberReady") },
            new() { Name = "Up-to-date", Type = "integer", Description = "Nodes running the current template.", Cell = static (o, _) => Columns.Int(o, "status", "updatedNumberScheduled") },
            new() { Name = "Available", Type = "integer", Description = "Nodes with an available pod.", Cell = static (o, _) => Columns.Int(o, "status", "numberAvailable") },
            new() { Name = "Node Selector", Description = "Node selector of the template.", Cell = static (o, _) => o["spec"]?["template"]?["spec"]?["nodeSelector"] is JsonObject s && s.Count > 0 ? string.Join(",", s.Select(static p => $"{p.Key}={p.Value}")) : "<none>" },
            Columns.Age,
            .. TemplateColumns(),
        ],
    };

    /// <summary>batch/v1 Job.</summary>
    public static KindDefinition Job { get; } = new KindDefinition
    {
        Group = "batch",
        Version = "v1",
        Kind = "Job",
        Plural = "jobs",
        Singular = "job",
        Namespaced = true,
        Categories = ["all"],
        Subresources = ["status"],
        Defaulting = PodDefaults.ApplyToJob,
        Schema = MetaSchemas.KindObject(
            "Runs pods until a number of them succeed.",
            ("spec", Object(
                "Desired state.",
                ("parallelism", Int32("Pods running at once.")),
                ("completions", Int32("Successful pods needed.")),
                ("activeDeadlineSeconds", Int64("Seconds before the job is stopped.")),
                ("backoffLimit", Int32("Retries before the job fails.").WithDefault(6)),
                ("backoffLimitPerIndex", Int32("Retries per index.")),
                ("maxFailedIndexes", Int32("Failed indexes before the job fails.")),
                ("podFailurePolicy", Any("Rules for pod failures.")),
                ("successPolicy", Any("Rules for early success.")),
                ("selector", MetaSchemas.LabelSelector),
                ("manualSelector", Boolean("Use the given selector as is.")),
                ("template", PodSchemas.PodTemplateSpec),
                ("ttlSecondsAfterFinished", Int32("Seconds after finishing before deletion.")),
                ("completionMode", Enum("NonIndexed or Indexed.", "NonIndexed", "Indexed").WithDefault("NonIndexed")),
                ("suspend", Boolean("Stop creating pods.").WithDefault(false)),
                ("podReplacementPolicy", Enum("TerminatingOrFailed or Failed.", "TerminatingOrFailed", "Failed")),
                ("managedBy", String("Controller managing the job."))).Require("template")),
            ("status", Object(
                "Observed state.",
                ("conditions", ListOf(Any("A job condition."), "Conditions.")),
                ("startTime", DateTime("When the job started.")),
                ("completionTime", DateTime("When the job completed.")),
                ("active", Int32("Running pods.")),
                ("succeeded", Int32("Succeeded pods.")),
                ("failed", Int32("Failed pods.")),
                ("terminating", Int32("Terminating pods.")),
                ("completedIndexes", String("Completed indexes.")),
                ("failedIndexes", String("Failed indexes.")),
                ("uncountedTerminatedPods", Any("Pods not yet counted.")),
                ("ready", Int32("Ready pods."))))),
        PrinterColumns =
        [
            new() { Name = "Status", Description = "Complete, Failed, Running or Suspended.", Cell = static (o, _) => JobStatus(o) },
            new() { Name = "Completions", Description = "Succeeded / completions.", Cell = static (o, _) => Columns.Read(o, "spec", "completions") is { } c ? $"{Columns.Int(o, "status", "succeeded")}/{c}" : $"{Columns.Int(o, "status", "succeeded")}/1 of {Columns.Int(o, "spec", "parallelism")}" },
            new() { Name = "Duration", Description = "Run time.", Cell = static (o, now) => JobDuration(o, now) },
            Columns.Age,
            .. TemplateColumns(),
        ],
    };

    private static KindDefinition Apps(string kind, string plural, IReadOnlyList<string> shortNames, IReadOnlyList<string> subresources) => new()
    {
        Group = "apps",
        Version = "v1",
        Kind = kind,
        Plural = plural,
        Singular = kind.ToLowerInvariant(),
        Namespaced = true,
        ShortNames = shortNames,
        Categories = ["all"],
        Subresources = subresources,
        Defaulting = PodDefaults.ApplyToTemplate,
        Schema = MetaSchemas.KindObject(kind),
    };

    private static PrinterColumn[] TemplateColumns() =>
    [
        new() { Name = "Containers", Priority = 1, Description = "Container names.", Cell = static (o, _) => string.Join(",", Containers(o).Select(static c => Columns.Read(c, "name"))) },
        new() { Name = "Images", Priority = 1, Description = "Container images.", Cell = static (o, _) => string.Join(",", Containers(o).Select(static c => Columns.Read(c, "image"))) },
        new() { Name = "Selector", Priority = 1, Description = "Pod selector.", Cell = static (o, _) => SelectorText(o["spec"]?["selector"] as JsonObject) },
    ];

    private static IEnumerable<JsonObject> Containers(JsonObject o) => (o["spec"]?["template"]?["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>() ?? [];

    private static string SelectorText(JsonObject? selector)
    {
        if (selector is null)
        {
            return "<none>";
        }

        var parts = (selector["matchLabels"] as JsonObject)?.Select(static l => $"{l.Key}={l.Value}").ToList() ?? [];
        parts.AddRange((selector["matchExpressions"] as JsonArray)?.OfType<JsonObject>().Select(static e =>
            $"{Columns.Read(e, "key")} {Columns.Read(e, "operator")?.ToLowerInvariant()} ({string.Join(",", (e["values"] as JsonArray)?.Select(static v => v?.ToString()) ?? [])})") ?? []);
        return parts.Count > 0 ? string.Join(",", parts) : "<none>";
    }

    private static string JobStatus(JsonObject job)
    {
        var conditions = (job["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Where(static c => Columns.Read(c, "status") == "True").Select(static c => Columns.Read(c, "type")).ToList() ?? [];
        return conditions.Contains("Complete") ? "Complete"
            : conditions.Contains("Failed") ? "Failed"
            : conditions.Contains("FailureTarget") ? "FailureTarget"
            : conditions.Contains("SuccessCriteriaMet") ? "SuccessCriteriaMet"
            : conditions.Contains("Suspended") ? "Suspended"
            : job["metadata"]?["deletionTimestamp"] is not null ? "Terminating"
            : "Running";
    }

    private static string JobDuration(JsonObject job, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParse(Columns.Read(job, "status", "startTime"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var start))
        {
            return "";
        }

        var end = DateTimeOffset.TryParse(Columns.Read(job, "status", "completionTime"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var done) ? done : now;
        return KubeDuration.Human(end - start);
    }
}
