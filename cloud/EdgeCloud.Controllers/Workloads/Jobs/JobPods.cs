using System.Text.Json.Nodes;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads.Jobs;

/// <summary>The pods of a Job: how one is built, and what the job controller reads off them.</summary>
public static class JobPods
{
    /// <summary>
    /// The finalizer every job pod carries until the controller has counted it in the Job's status (upstream's
    /// job-tracking protocol), so a pod deleted early is still counted exactly once.
    /// </summary>
    public const string TrackingFinalizer = "batch.kubernetes.io/job-tracking";

    /// <summary>The label with the Job's uid.</summary>
    public const string ControllerUidLabel = JobKind.ControllerUidLabel;

    /// <summary>The label with the Job's name.</summary>
    public const string JobNameLabel = JobKind.JobNameLabel;

    // The older spellings, still set (and selected on) by upstream.
    private const string LegacyControllerUidLabel = JobKind.LegacyControllerUidLabel;
    private const string LegacyJobNameLabel = JobKind.LegacyJobNameLabel;

    /// <summary>
    /// A pod for <paramref name="job"/>: its template, named from the job's name, labelled with the job's uid and
    /// name (as the API server labels a job's template when the selector is generated), controlled by the job, and
    /// carrying <see cref="TrackingFinalizer"/>.
    /// </summary>
    public static JsonObject Build(JsonObject job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var template = job["spec"]?["template"] as JsonObject ?? throw new ArgumentException("the job has no spec.template", nameof(job));
        var name = job.Metadata().GetString("name") ?? throw new ArgumentException("the job has no metadata.name", nameof(job));
        var uid = job.Metadata().GetString("uid") ?? throw new ArgumentException("the job has no metadata.uid", nameof(job));
        var pod = PodFromTemplate.Build(template, JobKind.Definition, job, name + "-");
        var metadata = pod.Metadata();
        var labels = metadata["labels"] as JsonObject ?? [];
        metadata["labels"] = labels;
        labels[ControllerUidLabel] ??= uid;
        labels[JobNameLabel] ??= name;
        labels[LegacyControllerUidLabel] ??= uid;
        labels[LegacyJobNameLabel] ??= name;
        var finalizers = metadata["finalizers"] as JsonArray ?? [];
        metadata["finalizers"] = finalizers;
        if (!HasTrackingFinalizer(pod))
        {
            finalizers.Add(TrackingFinalizer);
        }

        return pod;
    }

    /// <summary><paramref name="pod"/> still carries <see cref="TrackingFinalizer"/>: the job has not counted it yet.</summary>
    public static bool HasTrackingFinalizer(JsonObject pod) =>
        pod.Metadata()["finalizers"] is JsonArray finalizers
        && finalizers.Any(f => f is JsonValue v && v.TryGetValue<string>(out var s) && s == TrackingFinalizer);

    /// <summary>
    /// When <paramref name="pod"/> finished: the latest container termination, else when its Ready condition turned
    /// False, else its deletion or creation time.
    /// </summary>
    public static DateTimeOffset FinishedAt(JsonObject pod)
    {
        DateTimeOffset? latest = null;
        foreach (var statuses in (ReadOnlySpan<string>)["initContainerStatuses", "containerStatuses"])
        {
            if (pod["status"]?[statuses] is not JsonArray list)
            {
                continue;
            }

            foreach (var status in list)
            {
                if ((status?["state"]?["terminated"] as JsonObject)?.GetString("finishedAt") is { } text
                    && KubeDuration.TryParseTimestamp(text, out var at) && (latest is null || at > latest))
                {
                    latest = at;
                }
            }
        }

        if (latest is { } finished)
        {
            return finished;
        }

        // A Ready condition says when the pod stopped only once it is False.
        var notReady = (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => c.GetString("type") == "Ready" && c.GetString("status") == "False");
        foreach (var text in new[] { notReady?.GetString("lastTransitionTime"), pod.Metadata().GetString("deletionTimestamp"), pod.Metadata().GetString("creationTimestamp") })
        {
            if (KubeDuration.TryParseTimestamp(text, out var at))
            {
                return at;
            }
        }

        return DateTimeOffset.MinValue;
    }
}
