using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Apply;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads;

/// <summary>
/// The ReplicaSet controller's decisions (kube-controller-manager pkg/controller/replicaset): how many pods to
/// create, which pods to delete when there are too many, and the status the set reports. Pure: the caller reads the
/// pods and writes the results.
/// </summary>
public static class ReplicaSetPlanning
{
    /// <summary>At most this many pods are created or deleted in one sync, as upstream's burstReplicas.</summary>
    public const int BurstReplicas = 500;

    /// <summary>The condition type a ReplicaSet reports when it cannot create or delete pods.</summary>
    public const string ReplicaFailure = "ReplicaFailure";

    /// <summary>The annotation that makes a pod cheaper (lower) or dearer (higher) to delete on scale-down.</summary>
    public const string PodDeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost";

    /// <summary>The pods of <paramref name="pods"/> that count toward the set: controlled by it, not finished, not being deleted.</summary>
    public static IReadOnlyList<JsonObject> ActivePods(JsonObject replicaSet, IEnumerable<JsonObject> pods)
    {
        var uid = WorkloadJson.Uid(replicaSet);
        return [.. pods.Where(p => uid is not null && ControllerRefs.ControllerUid(p) == uid && PodConditions.IsActive(p))];
    }

    /// <summary>
    /// What to do so that <paramref name="activePods"/> (see <see cref="ActivePods"/>) matches spec.replicas.
    /// <paramref name="relatedPods"/> are the active pods of every set of the same owner (a Deployment's other
    /// ReplicaSets): on scale-down, pods on nodes crowded with them go first. Defaults to <paramref name="activePods"/>.
    /// </summary>
    public static ReplicaSetScale Scale(JsonObject replicaSet, IReadOnlyList<JsonObject> activePods, IReadOnlyList<JsonObject>? relatedPods = null)
    {
        var diff = activePods.Count - WorkloadJson.SpecReplicas(replicaSet);
        return diff switch
        {
            < 0 => new ReplicaSetScale { Create = Math.Min(-diff, BurstReplicas), Delete = [], Diff = diff },
            > 0 => new ReplicaSetScale { Create = 0, Delete = PodsToDelete(activePods, Math.Min(diff, BurstReplicas), relatedPods), Diff = diff },
            _ => new ReplicaSetScale { Create = 0, Delete = [], Diff = 0 },
        };
    }

    /// <summary>
    /// The <paramref name="count"/> pods to delete first, in upstream's order (controller.ActivePodsWithRanks): not
    /// yet scheduled before scheduled; Pending before Unknown before Running; not ready before ready; lower
    /// pod-deletion-cost first; on a node with more of <paramref name="relatedPods"/> first (doubled-up pods);
    /// ready for less time first; more container restarts first; newer first.
    /// </summary>
    public static IReadOnlyList<JsonObject> PodsToDelete(IReadOnlyList<JsonObject> pods, int count, IReadOnlyList<JsonObject>? relatedPods = null)
    {
        if (count <= 0)
        {
            return [];
        }

        if (count >= pods.Count)
        {
            return [.. pods];
        }

        var onNode = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pod in relatedPods ?? pods)
        {
            if (NodeName(pod) is { } node)
            {
                onNode[node] = onNode.GetValueOrDefault(node) + 1;
            }
        }

        int Rank(JsonObject pod) => NodeName(pod) is { } node ? onNode.GetValueOrDefault(node) : 0;
        return [.. pods
            .Select(pod => (Pod: pod, Rank: Rank(pod)))
            .Order(Comparer<(JsonObject Pod, int Rank)>.Create((a, b) => Compare(a.Pod, a.Rank, b.Pod, b.Rank)))
            .Take(count)
            .Select(ranked => ranked.Pod)];
    }

    private static int Compare(JsonObject a, int rankA, JsonObject b, int rankB)
    {
        var assignedA = NodeName(a) is not null;
        var assignedB = NodeName(b) is not null;
        if (assignedA != assignedB)
        {
            return assignedA ? 1 : -1;
        }

        var phase = PhaseRank(a).CompareTo(PhaseRank(b));
        if (phase != 0)
        {
            return phase;
        }

        var readyA = PodConditions.ReadySince(a);
        var readyB = PodConditions.ReadySince(b);
        if (readyA.HasValue != readyB.HasValue)
        {
            return readyA.HasValue ? 1 : -1;
        }

        var cost = DeletionCost(a).CompareTo(DeletionCost(b));
        if (cost != 0)
        {
            return cost;
        }

        var rank = rankB.CompareTo(rankA);
        if (rank != 0)
        {
            return rank;
        }

        // Both ready: the one ready more recently has proven itself for less time.
        if (readyA is { } sinceA && readyB is { } sinceB && sinceA != sinceB)
        {
            return sinceB.CompareTo(sinceA);
        }

        var restarts = MaxRestarts(b).CompareTo(MaxRestarts(a));
        if (restarts != 0)
        {
            return restarts;
        }

        // Newer first; a pod without a creation timestamp counts as the newest.
        var createdA = WorkloadJson.Time(a.Metadata(), "creationTimestamp") ?? DateTimeOffset.MaxValue;
        var createdB = WorkloadJson.Time(b.Metadata(), "creationTimestamp") ?? DateTimeOffset.MaxValue;
        return createdB.CompareTo(createdA);
    }

    /// <summary>
    /// The set's status from its active pods. <paramref name="scaleError"/> is the error of this sync's creates or
    /// deletes, if any: it raises ReplicaFailure (FailedCreate or FailedDelete) once, and a clean sync clears it.
    /// </summary>
    public static ReplicaSetStatusReport Status(JsonObject replicaSet, IReadOnlyList<JsonObject> activePods, string? scaleError, DateTimeOffset now)
    {
        var old = replicaSet["status"] as JsonObject ?? [];
        var status = new JsonObject();
        var minReadySeconds = WorkloadJson.Int(replicaSet["spec"] as JsonObject, "minReadySeconds");
        var templateLabels = (replicaSet["spec"]?["template"]?["metadata"]?["labels"]) as JsonObject;
        int fullyLabeled = 0, ready = 0, available = 0;
        DateTimeOffset? recheck = null;
        foreach (var pod in activePods)
        {
            if (HasAllLabels(pod, templateLabels))
            {
                fullyLabeled++;
            }

            if (PodConditions.IsReady(pod))
            {
                ready++;
                if (PodConditions.IsAvailable(pod, minReadySeconds, now))
                {
                    available++;
                }
                else if (PodConditions.AvailableAt(pod, minReadySeconds, now) is { } at && (recheck is null || at < recheck))
                {
                    recheck = at;
                }
            }
        }

        // replicas has no omitempty upstream; the other counts do.
        status["replicas"] = activePods.Count;
        WorkloadJson.SetOmitEmpty(status, "fullyLabeledReplicas", fullyLabeled);
        WorkloadJson.SetOmitEmpty(status, "readyReplicas", ready);
        WorkloadJson.SetOmitEmpty(status, "availableReplicas", available);
        WorkloadJson.SetOmitEmpty(status, "observedGeneration", WorkloadJson.Generation(replicaSet));
        if (old["conditions"] is JsonArray conditions)
        {
            status["conditions"] = conditions.DeepClone();
        }

        var failure = WorkloadConditions.Find(status, ReplicaFailure);
        if (scaleError is not null && failure is null)
        {
            var diff = activePods.Count - WorkloadJson.SpecReplicas(replicaSet);
            WorkloadConditions.Set(status, new JsonObject
            {
                ["type"] = ReplicaFailure,
                ["status"] = "True",
                ["lastTransitionTime"] = WorkloadJson.FormatTime(now),
                ["reason"] = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : "",
                ["message"] = scaleError,
            });
        }
        else if (scaleError is null && failure is not null)
        {
            WorkloadConditions.Remove(status, ReplicaFailure);
        }

        return new ReplicaSetStatusReport
        {
            Status = status,
            Changed = CanonicalJson.Write(status) != CanonicalJson.Write(old),
            RecheckAt = recheck,
        };
    }

    private static bool HasAllLabels(JsonObject pod, JsonObject? wanted)
    {
        if (wanted is null)
        {
            return true;
        }

        var labels = pod.Metadata()["labels"] as JsonObject;
        foreach (var (key, value) in wanted)
        {
            if (labels?.GetString(key) is not { } have || value is not JsonValue v || !v.TryGetValue<string>(out var want) || have != want)
            {
                return false;
            }
        }

        return true;
    }

    private static string? NodeName(JsonObject pod) =>
        (pod["spec"] as JsonObject)?.GetString("nodeName") is { Length: > 0 } node ? node : null;

    private static int PhaseRank(JsonObject pod) => PodConditions.Phase(pod) switch
    {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 3,
    };

    private static int DeletionCost(JsonObject pod) =>
        WorkloadJson.Annotation(pod, PodDeletionCostAnnotation) is { } text
        && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var cost)
            ? cost
            : 0;

    private static int MaxRestarts(JsonObject pod)
    {
        var max = 0;
        if ((pod["status"] as JsonObject)?["containerStatuses"] is JsonArray statuses)
        {
            foreach (var node in statuses)
            {
                max = Math.Max(max, WorkloadJson.Int(node as JsonObject, "restartCount"));
            }
        }

        return max;
    }
}
