using System.Text.Json.Nodes;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads.Jobs;

/// <summary>
/// The decisions of the Job controller for NonIndexed jobs, as kube-controller-manager makes them
/// (pkg/controller/job): run up to parallelism pods until completions succeed, replace failed pods after an
/// exponential back-off, fail the job past backoffLimit or activeDeadlineSeconds, honour suspend, and count each
/// finished pod exactly once through the job-tracking finalizer and status.uncountedTerminatedPods. Pure: the
/// caller lists the job's pods (those whose controller reference is the job) and carries out the plan, status first.
/// Like upstream (which waits on "expectations"), the caller should not plan again until it has seen its own
/// creations and deletions.
/// </summary>
public static class JobPlanning
{
    // Upstream's MaxPodCreateDeletePerSync: one sync never issues more than this many creations or deletions.
    private const int MaxPodChangesPerSync = 500;

    /// <summary>Plans one sync of <paramref name="job"/> with its <paramref name="pods"/> at <paramref name="now"/>.</summary>
    public static JobPlan Plan(JsonObject job, IReadOnlyList<JsonObject> pods, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(pods);
        var spec = job["spec"] as JsonObject ?? [];
        var status = job["status"]?.DeepClone() as JsonObject ?? [];
        var events = new List<JobEvent>();

        if (JobConditions.IsFinished(job))
        {
            // Nothing runs any more; pods still holding the finalizer (e.g. adopted late) are let go.
            return new JobPlan
            {
                Status = status,
                PodsToCreate = [],
                PodsToDelete = [],
                PodsToRemoveFinalizer = pods.Where(JobPods.HasTrackingFinalizer).ToList(),
                Events = events,
                Finished = true,
            };
        }

        var suspended = Bool(spec["suspend"]);
        var onlyReplaceFailed = spec.GetString("podReplacementPolicy") == "Failed" || spec["podFailurePolicy"] is JsonObject;

        // Counting. A finished pod with the finalizer goes into uncountedTerminatedPods now; once its finalizer is
        // gone (next sync) it moves into succeeded/failed. A crash between the steps cannot count it twice.
        var uncounted = status["uncountedTerminatedPods"] as JsonObject;
        var uncountedSucceeded = Uids(uncounted?["succeeded"]);
        var uncountedFailed = Uids(uncounted?["failed"]);
        var succeeded = Int(status["succeeded"]) ?? 0;
        var failed = Int(status["failed"]) ?? 0;
        var byUid = pods.Where(p => p.Metadata().GetString("uid") is not null).GroupBy(p => p.Metadata().GetString("uid")!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        succeeded += Flush(uncountedSucceeded, byUid);
        failed += Flush(uncountedFailed, byUid);

        var removeFinalizer = new List<JsonObject>();
        foreach (var pod in pods)
        {
            if (!JobPods.HasTrackingFinalizer(pod) || pod.Metadata().GetString("uid") is not { } uid)
            {
                continue;
            }

            if (suspended && PodConditions.IsTerminating(pod) && PodConditions.Phase(pod) != "Succeeded"
                && !uncountedSucceeded.Contains(uid) && !uncountedFailed.Contains(uid))
            {
                // Stopped by the suspension, not failed: let it go uncounted (it does not use up backoffLimit).
                removeFinalizer.Add(pod);
                continue;
            }

            if (uncountedSucceeded.Contains(uid) || uncountedFailed.Contains(uid))
            {
                removeFinalizer.Add(pod);
            }
            else if (PodConditions.Phase(pod) == "Succeeded")
            {
                uncountedSucceeded.Add(uid);
                removeFinalizer.Add(pod);
            }
            else if (IsFailed(pod, onlyReplaceFailed))
            {
                uncountedFailed.Add(uid);
                removeFinalizer.Add(pod);
            }
        }

        var totalSucceeded = succeeded + uncountedSucceeded.Count;
        var totalFailed = failed + uncountedFailed.Count;
        var active = pods.Where(PodConditions.IsActive).ToList();
        var terminating = pods.Count(p => PodConditions.IsTerminating(p) && PodConditions.Phase(p) is not ("Succeeded" or "Failed"));

        // Start and suspension.
        var conditions = status["conditions"] as JsonArray ?? [];
        status["conditions"] = conditions;
        var wasSuspended = Condition(conditions, JobConditions.Suspended)?.GetString("status") == "True";
        if (suspended)
        {
            if (!wasSuspended)
            {
                SetCondition(conditions, JobConditions.Suspended, "True", JobConditions.JobSuspended, "Job suspended", now);
                events.Add(new JobEvent("Normal", "Suspended", "Job suspended"));
            }
        }
        else
        {
            if (wasSuspended)
            {
                SetCondition(conditions, JobConditions.Suspended, "False", JobConditions.JobResumed, "Job resumed", now);
                events.Add(new JobEvent("Normal", "Resumed", "Job resumed"));
            }

            // A resumed job starts over: activeDeadlineSeconds counts continuous activity.
            if (status["startTime"] is null || wasSuspended)
            {
                status["startTime"] = Timestamp(now);
            }
        }

        var startTime = KubeDuration.TryParseTimestamp(status.GetString("startTime"), out var started) ? started : (DateTimeOffset?)null;
        var completions = Int(spec["completions"]);
        var parallelism = Int(spec["parallelism"]) ?? 1;
        var backoffLimit = Int(spec["backoffLimit"]) ?? 6;
        var deadline = Long(spec["activeDeadlineSeconds"]) is { } seconds && startTime is { } s0 && !suspended ? s0.AddSeconds(seconds) : (DateTimeOffset?)null;

        // Finishing: a target condition first (pods are cleaned up), the terminal one once none is left.
        var target = Holding(conditions, JobConditions.FailureTarget) ?? Holding(conditions, JobConditions.SuccessCriteriaMet);
        if (target is null)
        {
            if (totalFailed > backoffLimit || PastBackoffLimitOnFailure(spec, pods, backoffLimit))
            {
                target = SetCondition(conditions, JobConditions.FailureTarget, "True", JobConditions.BackoffLimitExceeded, JobConditions.BackoffLimitExceededMessage, now);
            }
            else if (deadline is { } d && d <= now)
            {
                target = SetCondition(conditions, JobConditions.FailureTarget, "True", JobConditions.DeadlineExceeded, JobConditions.DeadlineExceededMessage, now);
            }
            else if (active.Count == 0 && (completions is { } c ? totalSucceeded >= c : totalSucceeded > 0))
            {
                target = SetCondition(conditions, JobConditions.SuccessCriteriaMet, "True", JobConditions.CompletionsReached, JobConditions.CompletionsReachedMessage, now);
            }
        }

        var toCreate = 0;
        var toDelete = new List<JsonObject>();
        TimeSpan? backoffDelay = null;
        TimeSpan? requeue = null;
        if (target is not null || suspended)
        {
            toDelete.AddRange(active.OrderBy(p => p, RemovalOrder.Instance).Take(MaxPodChangesPerSync));
        }
        else
        {
            // A work queue (no completions) stops adding pods after its first success and lets the others finish.
            var wantActive = completions is { } c
                ? Math.Clamp(c - totalSucceeded, 0, parallelism)
                : totalSucceeded > 0 ? active.Count : parallelism;
            if (active.Count > wantActive)
            {
                toDelete.AddRange(active.OrderBy(p => p, RemovalOrder.Instance).Take(Math.Min(active.Count - wantActive, MaxPodChangesPerSync)));
            }
            else if (wantActive - active.Count - (onlyReplaceFailed ? terminating : 0) is var missing and > 0)
            {
                var wait = BackoffRemaining(pods, onlyReplaceFailed, now);
                if (wait > TimeSpan.Zero)
                {
                    backoffDelay = wait;
                    requeue = wait;
                }
                else
                {
                    toCreate = Math.Min(missing, MaxPodChangesPerSync);
                }
            }

            if (deadline is { } d)
            {
                requeue = requeue is { } r && r < d - now ? r : d - now;
            }
        }

        // The terminal condition, once nothing of the job runs and every finished pod is counted.
        var finished = false;
        if (target is not null && active.Count == 0 && terminating == 0 && removeFinalizer.Count == 0 && uncountedSucceeded.Count + uncountedFailed.Count == 0)
        {
            var reason = target.GetString("reason") ?? "";
            var message = target.GetString("message") ?? "";
            if (target.GetString("type") == JobConditions.FailureTarget)
            {
                SetCondition(conditions, JobConditions.Failed, "True", reason, message, now);
                events.Add(new JobEvent("Warning", reason, message));
            }
            else
            {
                SetCondition(conditions, JobConditions.Complete, "True", reason, message, now);
                status["completionTime"] = Timestamp(now);
                events.Add(new JobEvent("Normal", "Completed", "Job completed"));
            }

            finished = true;
        }

        var deleting = new HashSet<JsonObject>(toDelete, ReferenceEqualityComparer.Instance);
        SetCount(status, "active", active.Count - toDelete.Count + toCreate);
        status["ready"] = active.Count(p => !deleting.Contains(p) && PodConditions.IsReady(p));
        status["terminating"] = terminating;
        SetCount(status, "succeeded", succeeded);
        SetCount(status, "failed", failed);
        var uncountedStatus = new JsonObject();
        if (uncountedSucceeded.Count > 0)
        {
            uncountedStatus["succeeded"] = new JsonArray(uncountedSucceeded.Select(u => (JsonNode)JsonValue.Create(u)).ToArray());
        }

        if (uncountedFailed.Count > 0)
        {
            uncountedStatus["failed"] = new JsonArray(uncountedFailed.Select(u => (JsonNode)JsonValue.Create(u)).ToArray());
        }

        status["uncountedTerminatedPods"] = uncountedStatus;
        if (conditions.Count == 0)
        {
            status.Remove("conditions");
        }

        return new JobPlan
        {
            Status = status,
            PodsToCreate = Enumerable.Range(0, toCreate).Select(_ => JobPods.Build(job)).ToList(),
            PodsToDelete = toDelete,
            PodsToRemoveFinalizer = removeFinalizer,
            Events = events,
            BackoffDelay = backoffDelay,
            RequeueAfter = requeue,
            Finished = finished,
        };
    }

    /// <summary>
    /// How long a replacement pod must still wait at <paramref name="now"/>: the back-off after the failures since
    /// the job's last success, measured from the last failure.
    /// </summary>
    public static TimeSpan BackoffRemaining(IReadOnlyList<JsonObject> pods, bool onlyReplaceFailed, DateTimeOffset now)
    {
        var lastSuccess = pods.Where(p => PodConditions.Phase(p) == "Succeeded").Select(JobPods.FinishedAt).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        var failures = pods.Where(p => IsFailed(p, onlyReplaceFailed)).Select(JobPods.FinishedAt).Where(at => at > lastSuccess).ToList();
        if (failures.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var remaining = failures.Max() + JobBackoff.Delay(failures.Count) - now;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    // isPodFailed: Failed, or (unless only failed pods are replaced) being deleted without having succeeded, so a
    // pod deleted from under the job still counts.
    private static bool IsFailed(JsonObject pod, bool onlyReplaceFailed) =>
        PodConditions.Phase(pod) == "Failed"
        || (!onlyReplaceFailed && PodConditions.IsTerminating(pod) && PodConditions.Phase(pod) != "Succeeded");

    // With restartPolicy OnFailure the kubelet retries in place: container restarts of running pods count instead.
    private static bool PastBackoffLimitOnFailure(JsonObject spec, IReadOnlyList<JsonObject> pods, int backoffLimit)
    {
        if ((spec["template"]?["spec"] as JsonObject)?.GetString("restartPolicy") != "OnFailure")
        {
            return false;
        }

        var restarts = 0;
        foreach (var pod in pods)
        {
            if (PodConditions.Phase(pod) is not ("Running" or "Pending"))
            {
                continue;
            }

            foreach (var statuses in (ReadOnlySpan<string>)["initContainerStatuses", "containerStatuses"])
            {
                foreach (var container in (pod["status"]?[statuses] as JsonArray)?.OfType<JsonObject>() ?? [])
                {
                    restarts += Int(container["restartCount"]) ?? 0;
                }
            }
        }

        return backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit;
    }

    // Uncounted uids whose pod has let go of its finalizer (or is gone) are counted now.
    private static int Flush(List<string> uncounted, Dictionary<string, JsonObject> byUid) =>
        uncounted.RemoveAll(uid => !byUid.TryGetValue(uid, out var pod) || !JobPods.HasTrackingFinalizer(pod));

    private static JsonObject? Condition(JsonArray conditions, string type) =>
        conditions.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == type);

    private static JsonObject? Holding(JsonArray conditions, string type) =>
        Condition(conditions, type) is { } c && c.GetString("status") == "True" ? c : null;

    // A condition keeps its lastTransitionTime while its status stays; reason, message and probe time follow.
    private static JsonObject SetCondition(JsonArray conditions, string type, string value, string reason, string message, DateTimeOffset now)
    {
        var existing = Condition(conditions, type);
        var transition = existing is not null && existing.GetString("status") == value ? existing.GetString("lastTransitionTime") ?? Timestamp(now) : Timestamp(now);
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = value,
            ["lastProbeTime"] = Timestamp(now),
            ["lastTransitionTime"] = transition,
            ["reason"] = reason,
            ["message"] = message,
        };
        if (existing is not null)
        {
            conditions[conditions.IndexOf(existing)] = condition;
        }
        else
        {
            conditions.Add(condition);
        }

        return condition;
    }

    // Counts the API leaves out when zero (omitempty).
    private static void SetCount(JsonObject status, string field, int value)
    {
        if (value > 0)
        {
            status[field] = value;
        }
        else
        {
            status.Remove(field);
        }
    }

    private static List<string> Uids(JsonNode? node) =>
        (node as JsonArray)?.Select(v => v is JsonValue value && value.TryGetValue<string>(out var s) ? s : null).OfType<string>().Distinct(StringComparer.Ordinal).ToList() ?? [];

    private static string Timestamp(DateTimeOffset at) => ResourceStore.Timestamp(at);

    private static bool Bool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static int? Int(JsonNode? node) => Long(node) is { } l && l is >= int.MinValue and <= int.MaxValue ? (int)l : null;

    private static long? Long(JsonNode? node) => JobTtl.Integer(node);

    // controller.ActivePods: the pods that cost least to lose go first: unscheduled, then pending, then not ready,
    // then the youngest.
    private sealed class RemovalOrder : IComparer<JsonObject>
    {
        public static RemovalOrder Instance { get; } = new();

        public int Compare(JsonObject? x, JsonObject? y)
        {
            if (x is null || y is null)
            {
                return 0;
            }

            var bound = Bound(x).CompareTo(Bound(y));
            if (bound != 0)
            {
                return bound;
            }

            var phase = PhaseRank(x).CompareTo(PhaseRank(y));
            if (phase != 0)
            {
                return phase;
            }

            var ready = PodConditions.IsReady(x).CompareTo(PodConditions.IsReady(y));
            if (ready != 0)
            {
                return ready;
            }

            return Created(y).CompareTo(Created(x));
        }

        private static bool Bound(JsonObject pod) => !string.IsNullOrEmpty((pod["spec"] as JsonObject)?.GetString("nodeName"));

        private static int PhaseRank(JsonObject pod) => PodConditions.Phase(pod) switch
        {
            "Pending" => 0,
            "Unknown" => 1,
            _ => 2,
        };

        private static DateTimeOffset Created(JsonObject pod) =>
            KubeDuration.TryParseTimestamp(pod.Metadata().GetString("creationTimestamp"), out var at) ? at : DateTimeOffset.MinValue;
    }
}
