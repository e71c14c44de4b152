using System.Text.Json.Nodes;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads;

/// <summary>
/// A Deployment's status as kube-controller-manager computes it, and so as <c>kubectl rollout status</c> and
/// <c>kubectl wait</c> read it: the counts from its ReplicaSets, the Available and Progressing conditions with
/// upstream's reasons and messages, and the progress deadline.
/// </summary>
public static class DeploymentStatusCalculator
{
    /// <summary>Condition type: at least replicas - maxUnavailable pods are available.</summary>
    public const string Available = "Available";

    /// <summary>Condition type: the rollout is moving (or done, or stuck: see the reason).</summary>
    public const string Progressing = "Progressing";

    /// <summary>Condition type copied from a ReplicaSet that cannot create or delete pods.</summary>
    public const string ReplicaFailure = "ReplicaFailure";

    /// <summary>Available=True reason.</summary>
    public const string MinimumReplicasAvailable = "MinimumReplicasAvailable";

    /// <summary>Available=False reason.</summary>
    public const string MinimumReplicasUnavailable = "MinimumReplicasUnavailable";

    /// <summary>Progressing=True reason: the controller created the new ReplicaSet.</summary>
    public const string NewReplicaSetCreated = "NewReplicaSetCreated";

    /// <summary>Progressing=True reason: the new ReplicaSet already existed.</summary>
    public const string FoundNewReplicaSet = "FoundNewReplicaSet";

    /// <summary>Progressing=True reason: the rollout made progress.</summary>
    public const string ReplicaSetUpdated = "ReplicaSetUpdated";

    /// <summary>Progressing=True reason: the rollout is complete.</summary>
    public const string NewReplicaSetAvailable = "NewReplicaSetAvailable";

    /// <summary>Progressing=False reason: no progress within progressDeadlineSeconds.</summary>
    public const string ProgressDeadlineExceeded = "ProgressDeadlineExceeded";

    /// <summary>Progressing=False reason: the new ReplicaSet could not be created.</summary>
    public const string ReplicaSetCreateError = "ReplicaSetCreateError";

    /// <summary>Progressing=Unknown reason while spec.paused is true.</summary>
    public const string DeploymentPaused = "DeploymentPaused";

    /// <summary>Progressing=Unknown reason once a paused Deployment is resumed.</summary>
    public const string DeploymentResumed = "DeploymentResumed";

    /// <summary>
    /// The status from the ReplicaSets (calculateStatus upstream): counts summed over <paramref name="allReplicaSets"/>,
    /// updatedReplicas from <paramref name="newReplicaSet"/>, the Deployment's conditions kept and Available set.
    /// </summary>
    public static JsonObject Calculate(JsonObject deployment, IReadOnlyList<JsonObject> allReplicaSets, JsonObject? newReplicaSet, DateTimeOffset now)
    {
        var old = deployment["status"] as JsonObject;
        long available = allReplicaSets.Sum(rs => (long)WorkloadJson.StatusInt(rs, "availableReplicas"));
        long total = allReplicaSets.Sum(rs => (long)WorkloadJson.SpecReplicas(rs));
        var status = new JsonObject();
        WorkloadJson.SetOmitEmpty(status, "observedGeneration", WorkloadJson.Generation(deployment));
        WorkloadJson.SetOmitEmpty(status, "replicas", allReplicaSets.Sum(rs => (long)WorkloadJson.StatusInt(rs, "replicas")));
        WorkloadJson.SetOmitEmpty(status, "updatedReplicas", newReplicaSet is null ? 0 : WorkloadJson.StatusInt(newReplicaSet, "replicas"));
        WorkloadJson.SetOmitEmpty(status, "readyReplicas", allReplicaSets.Sum(rs => (long)WorkloadJson.StatusInt(rs, "readyReplicas")));
        WorkloadJson.SetOmitEmpty(status, "availableReplicas", available);
        WorkloadJson.SetOmitEmpty(status, "unavailableReplicas", Math.Max(0, total - available));
        if (old?["conditions"] is JsonArray conditions)
        {
            status["conditions"] = conditions.DeepClone();
        }

        if (old?["collisionCount"] is { } collisions)
        {
            status["collisionCount"] = collisions.DeepClone();
        }

        var replicas = WorkloadJson.SpecReplicas(deployment);
        if (available >= replicas - DeploymentPlanning.MaxUnavailable(deployment))
        {
            WorkloadConditions.Set(status, NewCondition(Available, "True", MinimumReplicasAvailable, "Deployment has minimum availability.", now));
        }
        else
        {
            WorkloadConditions.Set(status, NewCondition(Available, "False", MinimumReplicasUnavailable, "Deployment does not have minimum availability.", now));
        }

        return status;
    }

    /// <summary>
    /// The status a rollout step ends with (syncRolloutStatus upstream): <see cref="Calculate"/>, then Progressing
    /// from the progress made since the stored status (complete, progressing, or past its deadline), then the
    /// ReplicaFailure condition of the new ReplicaSet (or else of an old one).
    /// </summary>
    public static JsonObject RolloutStatus(JsonObject deployment, IReadOnlyList<JsonObject> allReplicaSets, JsonObject? newReplicaSet, DateTimeOffset now)
    {
        var status = Calculate(deployment, allReplicaSets, newReplicaSet, now);
        var hasDeadline = HasProgressDeadline(deployment);
        if (!hasDeadline)
        {
            WorkloadConditions.Remove(status, Progressing);
        }

        var stored = deployment["status"] as JsonObject ?? [];
        var current = WorkloadConditions.Find(stored, Progressing);
        var complete = WorkloadJson.Int(status, "replicas") == WorkloadJson.Int(status, "updatedReplicas")
            && current?.GetString("reason") == NewReplicaSetAvailable;
        if (hasDeadline && !complete)
        {
            var name = WorkloadJson.Name(deployment);
            var subject = newReplicaSet is null ? $"Deployment \"{name}\"" : $"ReplicaSet \"{WorkloadJson.Name(newReplicaSet)}\"";
            if (IsComplete(deployment, status))
            {
                WorkloadConditions.Set(status, NewCondition(Progressing, "True", NewReplicaSetAvailable, $"{subject} has successfully progressed.", now));
            }
            else if (IsProgressing(deployment, status))
            {
                // Progress moves lastUpdateTime even when the reason stays; the transition time stays while the status is True.
                var condition = NewCondition(Progressing, "True", ReplicaSetUpdated, $"{subject} is progressing.", now);
                if (current is not null)
                {
                    if (current.GetString("status") == "True")
                    {
                        condition["lastTransitionTime"] = current["lastTransitionTime"]?.DeepClone();
                    }

                    WorkloadConditions.Remove(status, Progressing);
                }

                WorkloadConditions.Set(status, condition);
            }
            else if (IsTimedOut(deployment, status, now))
            {
                WorkloadConditions.Set(status, NewCondition(Progressing, "False", ProgressDeadlineExceeded, $"{subject} has timed out progressing.", now));
            }
        }

        if (ReplicaFailureOf(allReplicaSets, newReplicaSet) is { } failure)
        {
            WorkloadConditions.Set(status, failure);
        }
        else
        {
            WorkloadConditions.Remove(status, ReplicaFailure);
        }

        return status;
    }

    /// <summary>All replicas are updated and available, none old remain, and the status is of the current generation.</summary>
    public static bool IsComplete(JsonObject deployment, JsonObject status)
    {
        var replicas = WorkloadJson.SpecReplicas(deployment);
        return WorkloadJson.Int(status, "updatedReplicas") == replicas
            && WorkloadJson.Int(status, "replicas") == replicas
            && WorkloadJson.Int(status, "availableReplicas") == replicas
            && WorkloadJson.Long(status, "observedGeneration") >= WorkloadJson.Generation(deployment);
    }

    /// <summary>
    /// <paramref name="status"/> shows progress against the stored status: more updated, fewer old, more ready or
    /// more available replicas.
    /// </summary>
    public static bool IsProgressing(JsonObject deployment, JsonObject status)
    {
        var stored = deployment["status"] as JsonObject;
        var oldOld = WorkloadJson.Int(stored, "replicas") - WorkloadJson.Int(stored, "updatedReplicas");
        var newOld = WorkloadJson.Int(status, "replicas") - WorkloadJson.Int(status, "updatedReplicas");
        return WorkloadJson.Int(status, "updatedReplicas") > WorkloadJson.Int(stored, "updatedReplicas")
            || newOld < oldOld
            || WorkloadJson.Int(status, "readyReplicas") > WorkloadJson.Int(stored, "readyReplicas")
            || WorkloadJson.Int(status, "availableReplicas") > WorkloadJson.Int(stored, "availableReplicas");
    }

    /// <summary>
    /// The Progressing condition of <paramref name="status"/> was last updated more than progressDeadlineSeconds
    /// before <paramref name="now"/> (or already says so), and the rollout had not completed.
    /// </summary>
    public static bool IsTimedOut(JsonObject deployment, JsonObject status, DateTimeOffset now)
    {
        if (!HasProgressDeadline(deployment) || WorkloadConditions.Find(status, Progressing) is not { } condition)
        {
            return false;
        }

        switch (condition.GetString("reason"))
        {
            case NewReplicaSetAvailable:
                return false;
            case ProgressDeadlineExceeded:
                return true;
        }

        return Deadline(deployment, condition) is { } deadline && deadline < now;
    }

    /// <summary>
    /// When the progress deadline of <paramref name="status"/> (about to be stored) passes, so the caller can plan
    /// again then; null when no deadline is pending. An instant already past means "now".
    /// </summary>
    public static DateTimeOffset? NextProgressCheck(JsonObject deployment, JsonObject status, DateTimeOffset now)
    {
        if (!HasProgressDeadline(deployment) || WorkloadConditions.Find(status, Progressing) is not { } condition)
        {
            return null;
        }

        // Upstream requeues here too, but a completed rollout never times out, so the timer would only spin.
        if (IsComplete(deployment, status) || condition.GetString("reason") is ProgressDeadlineExceeded or NewReplicaSetAvailable or DeploymentPaused)
        {
            return null;
        }

        // The deadline is strict ("Before now"), so check just after it.
        return Deadline(deployment, condition) is { } deadline ? (deadline < now ? now : deadline.AddSeconds(1)) : null;
    }

    /// <summary>
    /// Sets Progressing=Unknown DeploymentPaused on a paused Deployment's status, or DeploymentResumed on one no
    /// longer paused (checkPausedConditions upstream); a ProgressDeadlineExceeded condition is left alone. Changes
    /// <paramref name="deployment"/>'s status in place and returns true when it changed.
    /// </summary>
    public static bool ApplyPausedCondition(JsonObject deployment, DateTimeOffset now)
    {
        if (!HasProgressDeadline(deployment))
        {
            return false;
        }

        var status = WorkloadJson.Status(deployment);
        var current = WorkloadConditions.Find(status, Progressing);
        if (current?.GetString("reason") == ProgressDeadlineExceeded)
        {
            return false;
        }

        var pausedShown = current?.GetString("reason") == DeploymentPaused;
        var paused = DeploymentPlanning.IsPaused(deployment);
        if (paused && !pausedShown)
        {
            return WorkloadConditions.Set(status, NewCondition(Progressing, "Unknown", DeploymentPaused, "Deployment is paused", now));
        }

        if (!paused && pausedShown)
        {
            return WorkloadConditions.Set(status, NewCondition(Progressing, "Unknown", DeploymentResumed, "Deployment is resumed", now));
        }

        return false;
    }

    /// <summary>
    /// The status to store when creating the new ReplicaSet failed: Progressing=False ReplicaSetCreateError with
    /// upstream's message.
    /// </summary>
    public static JsonObject CreateFailed(JsonObject deployment, string replicaSetName, string error, DateTimeOffset now)
    {
        var status = (deployment["status"] as JsonObject)?.DeepClone().AsObject() ?? [];
        if (HasProgressDeadline(deployment))
        {
            WorkloadConditions.Set(status, NewCondition(Progressing, "False", ReplicaSetCreateError, $"Failed to create new replica set \"{replicaSetName}\": {error}", now));
        }

        return status;
    }

    /// <summary>A deployment condition with both times set to <paramref name="now"/>.</summary>
    public static JsonObject NewCondition(string type, string status, string reason, string message, DateTimeOffset now) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastUpdateTime"] = WorkloadJson.FormatTime(now),
        ["lastTransitionTime"] = WorkloadJson.FormatTime(now),
        ["reason"] = reason,
        ["message"] = message,
    };

    /// <summary>spec.progressDeadlineSeconds is set and not the "never" value (max int32).</summary>
    public static bool HasProgressDeadline(JsonObject deployment) =>
        WorkloadJson.TryLong(deployment["spec"]?["progressDeadlineSeconds"], out var seconds) && seconds != int.MaxValue;

    private static DateTimeOffset? Deadline(JsonObject deployment, JsonObject condition) =>
        WorkloadJson.Time(condition, "lastUpdateTime") is { } from
            ? from.AddSeconds(WorkloadJson.Long(deployment["spec"] as JsonObject, "progressDeadlineSeconds"))
            : null;

    private static JsonObject? ReplicaFailureOf(IReadOnlyList<JsonObject> allReplicaSets, JsonObject? newReplicaSet)
    {
        // The new set's failure wins over the old ones'.
        foreach (var rs in newReplicaSet is null ? allReplicaSets : [newReplicaSet, .. allReplicaSets])
        {
            if (rs["status"] is JsonObject status && WorkloadConditions.Find(status, ReplicaFailure) is { } c)
            {
                return new JsonObject
                {
                    ["type"] = ReplicaFailure,
                    ["status"] = c["status"]?.DeepClone(),
                    ["lastUpdateTime"] = c["lastTransitionTime"]?.DeepClone(),
                    ["lastTransitionTime"] = c["lastTransitionTime"]?.DeepClone(),
                    ["reason"] = c["reason"]?.DeepClone(),
                    ["message"] = c["message"]?.DeepClone(),
                };
            }
        }

        return null;
    }
}
