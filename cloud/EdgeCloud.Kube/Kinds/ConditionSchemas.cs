using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>
/// The per-kind condition types of the older APIs (DeploymentCondition, NodeCondition, JobCondition, ...): each has
/// type, status, its own set of timestamps, reason and message. metav1.Condition is <see cref="MetaSchemas.Condition"/>.
/// </summary>
internal static class ConditionSchemas
{
    private static readonly Dictionary<string, string> TimeDescriptions = new(StringComparer.Ordinal)
    {
        ["lastTransitionTime"] = "When the condition last changed from one status to another.",
        ["lastUpdateTime"] = "When the condition was last written.",
        ["lastProbeTime"] = "When the condition was last checked.",
        ["lastHeartbeatTime"] = "When the node last reported this condition.",
    };

    /// <summary>One condition with the given timestamp fields, in the order the API declares them.</summary>
    public static SchemaNode Condition(string description, params string[] timeFields) =>
        Schemas.Object(
            description,
            [
                ("type", Schemas.String("Which aspect of the object the condition describes.")),
                ("status", Schemas.Enum("Whether the condition holds: True, False or Unknown.", "True", "False", "Unknown")),
                .. timeFields.Select(f => (f, Schemas.DateTime(TimeDescriptions[f]))),
                ("reason", Schemas.String("One-word, CamelCase reason for the last transition.")),
                ("message", Schemas.String("Human-readable details of the last transition.")),
            ]).Require("type", "status");

    /// <summary>Conditions merged by type in patches and in server-side apply.</summary>
    public static SchemaNode Keyed(SchemaNode condition, string description) =>
        Schemas.KeyedList(condition, "type", description);

    /// <summary>
    /// Conditions patched by type but owned as a whole by server-side apply (JobStatus.conditions is declared
    /// <c>+listType=atomic</c> with <c>+patchMergeKey=type</c>).
    /// </summary>
    public static SchemaNode AtomicMergedByType(SchemaNode condition, string description) =>
        Schemas.ListOf(condition, description) with { PatchStrategy = "merge", PatchMergeKey = "type" };
}
