using System.Text.Json.Nodes;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads.Jobs;

/// <summary>
/// The conditions a Job reports (batch/v1 JobConditionType), their reasons and messages as kube-controller-manager
/// writes them, and how to read them back. kubectl wait --for=condition=complete (or failed) waits on these.
/// </summary>
public static class JobConditions
{
    /// <summary>The job succeeded; terminal. Added once no pod of the job is left running.</summary>
    public const string Complete = "Complete";

    /// <summary>The job failed; terminal. Added once no pod of the job is left running.</summary>
    public const string Failed = "Failed";

    /// <summary>The job met its success criteria; its pods are being cleaned up before <see cref="Complete"/>.</summary>
    public const string SuccessCriteriaMet = "SuccessCriteriaMet";

    /// <summary>The job is failing; its pods are being terminated before <see cref="Failed"/>.</summary>
    public const string FailureTarget = "FailureTarget";

    /// <summary>The job is suspended (status True) or was resumed (status False).</summary>
    public const string Suspended = "Suspended";

    /// <summary>Reason: more pods failed than spec.backoffLimit allows.</summary>
    public const string BackoffLimitExceeded = "BackoffLimitExceeded";

    /// <summary>Reason: the job ran longer than spec.activeDeadlineSeconds.</summary>
    public const string DeadlineExceeded = "DeadlineExceeded";

    /// <summary>Reason: as many pods succeeded as spec.completions asks (or one, for a work queue).</summary>
    public const string CompletionsReached = "CompletionsReached";

    /// <summary>Reason of a True <see cref="Suspended"/> condition.</summary>
    public const string JobSuspended = "JobSuspended";

    /// <summary>Reason of a False <see cref="Suspended"/> condition.</summary>
    public const string JobResumed = "JobResumed";

    /// <summary>The message that goes with <see cref="BackoffLimitExceeded"/>.</summary>
    public const string BackoffLimitExceededMessage = "Job has reached the specified backoff limit";

    /// <summary>The message that goes with <see cref="DeadlineExceeded"/>.</summary>
    public const string DeadlineExceededMessage = "Job was active longer than specified deadline";

    /// <summary>The message that goes with <see cref="CompletionsReached"/>.</summary>
    public const string CompletionsReachedMessage = "Reached expected number of succeeded pods";

    /// <summary>The condition of <paramref name="type"/> in the job's status, or null.</summary>
    public static JsonObject? Find(JsonObject job, string type) =>
        (job["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == type);

    /// <summary>The job has a condition of <paramref name="type"/> with status True.</summary>
    public static bool Holds(JsonObject job, string type) => Find(job, type)?.GetString("status") == "True";

    /// <summary>The job is Complete or Failed: nothing more happens to it but its deletion.</summary>
    public static bool IsFinished(JsonObject job) => Holds(job, Complete) || Holds(job, Failed);

    /// <summary>When the job became Complete or Failed (that condition's lastTransitionTime), or null while it runs.</summary>
    public static DateTimeOffset? FinishedAt(JsonObject job)
    {
        foreach (var type in (ReadOnlySpan<string>)[Complete, Failed])
        {
            if (Find(job, type) is { } c && c.GetString("status") == "True"
                && KubeDuration.TryParseTimestamp(c.GetString("lastTransitionTime"), out var at))
            {
                return at;
            }
        }

        return null;
    }
}
