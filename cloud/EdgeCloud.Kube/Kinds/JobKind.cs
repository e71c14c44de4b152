using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>batch/v1 Job: pods that run to completion.</summary>
public static partial class JobKind
{
    private static SchemaNode PodFailurePolicy { get; } = Schemas.Object(
        "How pod failures count against the job.",
        ("rules", Schemas.ListOf(
            Schemas.Object(
                "A rule matched against a failed pod; the first match decides.",
                ("action", Schemas.Enum("FailJob, FailIndex, Ignore or Count.", "FailJob", "FailIndex", "Ignore", "Count")),
                ("onExitCodes", Schemas.Object(
                    "Matches by container exit codes.",
                    ("containerName", Schemas.String("Only this container's exit code counts; all containers when unset.")),
                    ("operator", Schemas.Enum("In or NotIn the values.", "In", "NotIn")),
                    ("values", Schemas.SetOf(Schemas.Int32(), "Exit codes, at most 255, without 0 for In.")))
                    .Require("operator", "values")),
                ("onPodConditions", Schemas.ListOf(
                    Schemas.Object(
                        "Matches by a pod condition.",
                        ("type", Schemas.String("Pod condition type, e.g. DisruptionTarget.")),
                        ("status", Schemas.String("Condition status to match.").WithDefault(JsonValue.Create("True"))))
                        .Require("type"),
                    "Pod conditions, any of which matches.")))
                .Require("action"),
            "Rules, at most 20, checked in order.")))
        .Require("rules");

    private static SchemaNode SuccessPolicy { get; } = Schemas.Object(
        "When an Indexed job counts as succeeded before all indexes have.",
        ("rules", Schemas.ListOf(
            Schemas.Object(
                "A rule; the job succeeds when any rule holds.",
                ("succeededIndexes", Schemas.String("Indexes that must succeed, e.g. \"1,3-5\".")),
                ("succeededCount", Schemas.Int32("How many of succeededIndexes (or of all indexes) must succeed."))),
            "Rules, at most 20.")))
        .Require("rules");

    /// <summary>The job spec.</summary>
    public static SchemaNode Spec { get; } = Schemas.Object(
        "What the job should run.",
        ("parallelism", Schemas.Int32("Most pods running at once.")),
        ("completions", Schemas.Int32("Successful pods needed; unset means any one success finishes the job.")),
        ("activeDeadlineSeconds", Schemas.Int64("Seconds the job may run before it is failed.")),
        ("podFailurePolicy", PodFailurePolicy),
        ("successPolicy", SuccessPolicy),
        ("backoffLimit", Schemas.Int32("Retries before the job is failed.").WithDefault(JsonValue.Create(6))),
        ("backoffLimitPerIndex", Schemas.Int32("Retries per index of an Indexed job.")),
        ("maxFailedIndexes", Schemas.Int32("Failed indexes, with backoffLimitPerIndex, before the whole job fails.")),
        ("selector", MetaSchemas.LabelSelector.Describe("Label query for the job's pods; generated unless manualSelector is true.")),
        ("manualSelector", Schemas.Boolean("When true, the selector is given by the user rather than generated.")),
        ("template", PodSchemas.PodTemplateSpec.Describe("The pods to run. restartPolicy must be Never or OnFailure.")),
        ("ttlSecondsAfterFinished", Schemas.Int32("Seconds after finishing before the job is deleted.")),
        ("completionMode", Schemas.Enum("NonIndexed, or Indexed (each pod gets an index 0..completions-1).", "NonIndexed", "Indexed").WithDefault(JsonValue.Create("NonIndexed"))),
        ("suspend", Schemas.Boolean("When true, no pods are created and running ones are stopped.").WithDefault(JsonValue.Create(false))),
        ("podReplacementPolicy", Schemas.Enum("When a replacement pod is made: TerminatingOrFailed, or Failed (only once the old pod is gone).", "TerminatingOrFailed", "Failed")),
        ("managedBy", Schemas.String("Controller that reconciles the job; kubernetes.io/job-controller when unset.")))
        .Require("template");

    /// <summary>The job status.</summary>
    public static SchemaNode Status { get; } = Schemas.Object(
        "What the job is now.",
        ("conditions", ConditionSchemas.AtomicMergedByType(
            ConditionSchemas.Condition("One aspect of the job's state: Complete, Failed, Suspended, FailureTarget, SuccessCriteriaMet.", "lastProbeTime", "lastTransitionTime"),
            "Latest observations about the job.")),
        ("startTime", Schemas.DateTime("When the controller started the job.")),
        ("completionTime", Schemas.DateTime("When the job completed successfully.")),
        ("active", Schemas.Int32("Pods pending or running.")),
        ("succeeded", Schemas.Int32("Pods that succeeded.")),
        ("failed", Schemas.Int32("Pods that failed.")),
        ("terminating", Schemas.Int32("Pods being terminated.")),
        ("completedIndexes", Schemas.String("Succeeded indexes of an Indexed job, e.g. \"1,3-5\".")),
        ("failedIndexes", Schemas.String("Failed indexes with backoffLimitPerIndex, e.g. \"1,3-5\".")),
        ("uncountedTerminatedPods", Schemas.Object(
            "UIDs of finished pods not yet counted in the status.",
            ("succeeded", Schemas.SetOf(Schemas.String(), "UIDs of succeeded pods.")),
            ("failed", Schemas.SetOf(Schemas.String(), "UIDs of failed pods.")))),
        ("ready", Schemas.Int32("Pods with a Ready condition.")));

    /// <summary>The Job kind.</summary>
    public static KindDefinition Definition { get; } = new()
    {
        Defaulting = PodDefaults.ApplyToJob,
        CreateAdmission = AdmitCreate,
        UpdateAdmission = AdmitUpdate,
        Group = "batch",
        Version = "v1",
        Kind = "Job",
        Plural = "jobs",
        Singular = "job",
        Namespaced = true,
        Categories = ["all"],
        Subresources = ["status"],
        Schema = MetaSchemas.KindObject(
            "Runs pods until a number of them succeed.",
            ("spec", Spec),
            ("status", Status)),
        PrinterColumns =
        [
            new() { Name = "Status", Description = "Status of the job.", Cell = (obj, _) => StatusText(obj) },
            new() { Name = "Completions", Description = "Succeeded pods out of those needed.", Cell = (obj, _) => Completions(obj) },
            new() { Name = "Duration", Description = "Time the job ran, or has been running.", Cell = (obj, now) => Duration(obj, now) },
            TableCells.AgeColumn,
            .. TableCells.WorkloadWideColumns(obj => TableCells.FormatSelector(obj["spec"]?["selector"])),
        ],
    };

    // printJob (1.31+): the first condition of a type decides; Terminating comes after Complete and Failed.
    private static string StatusText(JsonObject job)
    {
        bool Holds(string type) => TableCells.ConditionStatus(job, type, "status", "conditions") == "True";
        if (Holds("Complete"))
        {
            return "Complete";
        }

        if (Holds("Failed"))
        {
            return "Failed";
        }

        if (TableCells.Has(job, "metadata", "deletionTimestamp"))
        {
            return "Terminating";
        }

        if (Holds("Suspended"))
        {
            return "Suspended";
        }

        return Holds("FailureTarget") ? "FailureTarget" : "Running";
    }

    private static string Completions(JsonObject job)
    {
        var succeeded = TableCells.Number(job, "status", "succeeded");
        if (TableCells.Has(job, "spec", "completions"))
        {
            return $"{succeeded}/{TableCells.Number(job, "spec", "completions")}";
        }

        var parallelism = TableCells.Number(job, "spec", "parallelism");
        return parallelism > 1 ? $"{succeeded}/1 of {parallelism}" : $"{succeeded}/1";
    }

    private static string Duration(JsonObject job, DateTimeOffset now)
    {
        if (TableCells.Time(job, "status", "startTime") is not { } start)
        {
            return "";
        }

        var end = TableCells.Time(job, "status", "completionTime") ?? now;
        return KubeDuration.Human(end - start);
    }
}
