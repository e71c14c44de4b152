using System.Text.Json.Nodes;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads.DaemonSets;

/// <summary>
/// The decisions of the daemon set controller, as kube-controller-manager makes them (pkg/controller/daemon):
/// one pod of the current template on every node that should run it, no pod where none belongs, failed and finished
/// pods replaced, old pods rolled over within maxUnavailable and maxSurge, and the status kubectl rollout status
/// reads. Pure: the caller lists the nodes and the daemon set's pods (those whose controller reference is the daemon
/// set), says which nodes fit, and carries out the plan.
/// </summary>
public static class DaemonSetPlanning
{
    /// <summary>
    /// The hash of <paramref name="daemonSet"/>'s template, salted by status.collisionCount: the value of the pods'
    /// controller-revision-hash label and the suffix of the template's ControllerRevision name.
    /// </summary>
    public static string Hash(JsonObject daemonSet)
    {
        var template = daemonSet["spec"]?["template"] as JsonObject ?? [];
        var collisions = Int(daemonSet["status"]?["collisionCount"]);
        return PodTemplateHash.Compute(template, collisions);
    }

    /// <summary>
    /// Plans one sync of <paramref name="daemonSet"/> over all the cluster's <paramref name="nodes"/> (a complete
    /// list: a pod whose node is not in it is deleted) and the daemon set's <paramref name="pods"/>.
    /// <paramref name="fit"/> says whether the daemon belongs on a node (see <see cref="DaemonSetNodeFit"/> for the
    /// standard rules). As upstream waits for its own creations and deletions to be observed before rolling, the
    /// rolling update only acts when nothing else needs doing; the caller should likewise not plan again until it
    /// has seen the effects of the previous plan. <paramref name="backoff"/>, when given, spaces out replacements of
    /// failed pods on each node.
    /// </summary>
    public static DaemonSetPlan Plan(
        JsonObject daemonSet,
        IReadOnlyList<JsonObject> nodes,
        IReadOnlyList<JsonObject> pods,
        Func<JsonObject, NodeFit> fit,
        DateTimeOffset now,
        FailedPodBackoff? backoff = null)
    {
        ArgumentNullException.ThrowIfNull(daemonSet);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(fit);

        var hash = Hash(daemonSet);
        var minReadySeconds = Int(daemonSet["spec"]?["minReadySeconds"]) ?? 0;
        var fits = new List<(string Name, NodeFit Fit)>(nodes.Count);
        var fitByName = new Dictionary<string, NodeFit>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (node.Metadata().GetString("name") is { Length: > 0 } name && fitByName.TryAdd(name, fit(node)))
            {
                fits.Add((name, fitByName[name]));
            }
        }

        var desired = fits.Count(f => f.Fit.ShouldRun);
        var (rolling, maxSurge, maxUnavailable) = Strategy(daemonSet, desired);
        var allowSurge = rolling && maxSurge > 0;
        var uid = daemonSet.Metadata().GetString("uid") ?? "";

        var byNode = GroupByNode(pods, includeDeletedTerminal: true);
        var needing = new List<string>();
        var toDelete = new List<JsonObject>();
        var failed = new List<JsonObject>();
        TimeSpan? requeue = null;

        foreach (var (name, nodeFit) in fits)
        {
            var daemonPods = byNode.TryGetValue(name, out var list) ? list : [];
            if (nodeFit.ShouldRun && daemonPods.Count == 0)
            {
                needing.Add(name);
                continue;
            }

            if (!nodeFit.ShouldContinueRunning)
            {
                toDelete.AddRange(daemonPods.Where(p => !PodConditions.IsTerminating(p)));
                continue;
            }

            var running = new List<JsonObject>();
            foreach (var pod in daemonPods.Where(p => !PodConditions.IsTerminating(p)))
            {
                switch (PodConditions.Phase(pod))
                {
                    case "Failed":
                        // Kubelet rejecting the pod (ports taken, node out of resources) would otherwise make the
                        // controller and kubelet fight as fast as the API goes.
                        if (backoff is not null)
                        {
                            var key = FailedPodBackoff.Key(uid, name);
                            var remaining = backoff.Remaining(key, now);
                            if (remaining > TimeSpan.Zero)
                            {
                                requeue = Earliest(requeue, remaining);
                                continue;
                            }

                            backoff.Next(key, now);
                        }

                        toDelete.Add(pod);
                        failed.Add(pod);
                        break;
                    case "Succeeded":
                        toDelete.Add(pod);
                        break;
                    default:
                        running.Add(pod);
                        break;
                }
            }

            running.Sort(OldestScheduledFirst);
            if (!allowSurge)
            {
                // One pod per node: keep the oldest.
                toDelete.AddRange(running.Skip(1));
                continue;
            }

            if (running.Count <= 1)
            {
                if (running.Count == 0 && nodeFit.ShouldRun)
                {
                    needing.Add(name);
                }

                continue;
            }

            // With surge, an old and a new pod may share a node only while the new one is not yet available and
            // the old one is still ready; any other pod goes.
            JsonObject? oldestNew = null, oldestOld = null;
            foreach (var pod in running)
            {
                if (DaemonSetPods.IsUpdated(pod, hash))
                {
                    if (oldestNew is null)
                    {
                        oldestNew = pod;
                        continue;
                    }
                }
                else if (oldestOld is null)
                {
                    oldestOld = pod;
                    continue;
                }

                toDelete.Add(pod);
            }

            if (oldestNew is not null && oldestOld is not null
                && (!PodConditions.IsReady(oldestOld) || PodConditions.IsAvailable(oldestNew, minReadySeconds, now)))
            {
                toDelete.Add(oldestOld);
            }
        }

        // Pods meant for nodes that are gone. (Upstream leaves bound ones to the pod garbage collector; this
        // control plane has none, and a removed edge node is not coming back under the same object.)
        foreach (var (name, nodePods) in byNode)
        {
            if (!fitByName.ContainsKey(name))
            {
                toDelete.AddRange(nodePods.Where(p => !PodConditions.IsTerminating(p)));
            }
        }

        if (rolling && needing.Count == 0 && toDelete.Count == 0)
        {
            var statusPods = GroupByNode(pods, includeDeletedTerminal: false);
            foreach (var (name, nodeFit) in fits)
            {
                if (nodeFit.ShouldRun)
                {
                    statusPods.TryAdd(name, []);
                }
            }

            var ordered = OrderByNodes(statusPods, fits);
            if (maxSurge == 0)
            {
                toDelete.AddRange(RollWithoutSurge(ordered, hash, maxUnavailable, minReadySeconds, now));
            }
            else
            {
                var (create, delete) = RollWithSurge(ordered, hash, maxSurge, desired, fitByName, minReadySeconds, now);
                needing.AddRange(create);
                toDelete.AddRange(delete);
            }
        }

        if (AvailabilityWait(pods, minReadySeconds, now) is { } wait)
        {
            requeue = Earliest(requeue, wait);
        }

        return new DaemonSetPlan
        {
            Hash = hash,
            NodesNeedingPods = needing,
            PodsToCreate = needing.Select(n => DaemonSetPods.Build(daemonSet, n, hash)).ToList(),
            PodsToDelete = toDelete.Distinct().ToList(),
            FailedPods = failed,
            Status = Status(daemonSet, fits, pods, hash, minReadySeconds, now),
            RequeueAfter = requeue,
        };
    }

    // Without surge: delete old pods (letting the sync create new ones) while at most maxUnavailable nodes lack
    // an available pod; an old pod that is not available anyway may always go.
    private static List<JsonObject> RollWithoutSurge(
        List<(string Node, List<JsonObject> Pods)> nodes, string hash, int maxUnavailable, int minReadySeconds, DateTimeOffset now)
    {
        var unavailable = 0;
        var replaceable = new List<JsonObject>();
        var candidates = new List<JsonObject>();
        foreach (var (_, pods) in nodes)
        {
            if (!SplitByTemplate(pods, hash, out var newPod, out var oldPod))
            {
                unavailable++;
                continue;
            }

            if ((oldPod is null) == (newPod is null))
            {
                // Nothing there, or both there: the sync creates or trims; the node counts as unavailable.
                unavailable++;
            }
            else if (newPod is not null)
            {
                if (!PodConditions.IsAvailable(newPod, minReadySeconds, now))
                {
                    unavailable++;
                }
            }
            else if (!PodConditions.IsAvailable(oldPod!, minReadySeconds, now))
            {
                // Already down: replacing it costs nothing, but it does use up the budget.
                replaceable.Add(oldPod!);
                unavailable++;
            }
            else if (unavailable < maxUnavailable)
            {
                candidates.Add(oldPod!);
            }
        }

        var room = Math.Clamp(maxUnavailable - unavailable, 0, candidates.Count);
        return [.. replaceable, .. candidates.Take(room)];
    }

    // With surge: start a new pod beside an old one (at once where the old one is not available, else up to
    // maxSurge at a time), and delete the old one when the new one is available.
    private static (List<string> Create, List<JsonObject> Delete) RollWithSurge(
        List<(string Node, List<JsonObject> Pods)> nodes,
        string hash,
        int maxSurge,
        int desired,
        Dictionary<string, NodeFit> fits,
        int minReadySeconds,
        DateTimeOffset now)
    {
        var delete = new List<JsonObject>();
        var misplaced = new List<JsonObject>();
        var candidates = new List<string>();
        var allowed = new List<string>();
        var surging = 0;
        var available = 0;
        foreach (var (node, pods) in nodes)
        {
            if (!SplitByTemplate(pods, hash, out var newPod, out var oldPod))
            {
                surging++;
                continue;
            }

            if ((oldPod is not null && PodConditions.IsAvailable(oldPod, minReadySeconds, now))
                || (newPod is not null && PodConditions.IsAvailable(newPod, minReadySeconds, now)))
            {
                available++;
            }

            if (oldPod is null)
            {
                continue;
            }

            if (newPod is null)
            {
                if (PodConditions.IsAvailable(oldPod, minReadySeconds, now))
                {
                    candidates.Add(node);
                }
                else if (fits.TryGetValue(node, out var f) && f.ShouldRun)
                {
                    allowed.Add(node);
                }
                else
                {
                    misplaced.Add(oldPod);
                }

                continue;
            }

            if (!PodConditions.IsAvailable(newPod, minReadySeconds, now))
            {
                surging++;
                continue;
            }

            delete.Add(oldPod);
        }

        // Surge promises full availability: a pod on a node that no longer fits goes only once as many pods are
        // available elsewhere as should run.
        var deletable = available - desired;
        if (deletable >= 0)
        {
            delete.AddRange(misplaced.Take(deletable));
        }

        var room = Math.Clamp(maxSurge - surging, 0, candidates.Count);
        return ([.. allowed, .. candidates.Take(room)], delete);
    }

    // findUpdatedPodsOnNode: at most one live pod of each template per node, else the sync must trim first.
    private static bool SplitByTemplate(List<JsonObject> pods, string hash, out JsonObject? newPod, out JsonObject? oldPod)
    {
        newPod = null;
        oldPod = null;
        foreach (var pod in pods)
        {
            if (PodConditions.IsTerminating(pod))
            {
                continue;
            }

            if (DaemonSetPods.IsUpdated(pod, hash))
            {
                if (newPod is not null)
                {
                    return false;
                }

                newPod = pod;
            }
            else
            {
                if (oldPod is not null)
                {
                    return false;
                }

                oldPod = pod;
            }
        }

        return true;
    }

    private static JsonObject Status(
        JsonObject daemonSet, List<(string Name, NodeFit Fit)> fits, IReadOnlyList<JsonObject> pods, string hash, int minReadySeconds, DateTimeOffset now)
    {
        var byNode = GroupByNode(pods, includeDeletedTerminal: false);
        int desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
        foreach (var (name, nodeFit) in fits)
        {
            var scheduled = byNode.TryGetValue(name, out var nodePods) && nodePods.Count > 0;
            if (!nodeFit.ShouldRun)
            {
                misscheduled += scheduled ? 1 : 0;
                continue;
            }

            desired++;
            if (!scheduled)
            {
                continue;
            }

            current++;
            nodePods!.Sort(OldestScheduledFirst);
            var pod = nodePods[0];
            if (PodConditions.IsReady(pod))
            {
                ready++;
                available += PodConditions.IsAvailable(pod, minReadySeconds, now) ? 1 : 0;
            }

            updated += DaemonSetPods.IsUpdated(pod, hash) ? 1 : 0;
        }

        var status = daemonSet["status"]?.DeepClone() as JsonObject ?? [];
        status["currentNumberScheduled"] = current;
        status["numberMisscheduled"] = misscheduled;
        status["desiredNumberScheduled"] = desired;
        status["numberReady"] = ready;
        status["updatedNumberScheduled"] = updated;
        status["numberAvailable"] = available;
        status["numberUnavailable"] = desired - available;
        if (DaemonSetPods.Generation(daemonSet) is { } generation)
        {
            status["observedGeneration"] = generation;
        }

        return status;
    }

    private static (bool Rolling, int MaxSurge, int MaxUnavailable) Strategy(JsonObject daemonSet, int desired)
    {
        var strategy = daemonSet["spec"]?["updateStrategy"] as JsonObject;
        if ((strategy?.GetString("type") ?? "RollingUpdate") != "RollingUpdate")
        {
            return (false, 0, 0);
        }

        // Both percentages round up for daemon sets (util.UnavailableCount, util.SurgeCount).
        var rollingUpdate = strategy?["rollingUpdate"] as JsonObject;
        var maxUnavailable = IntOrPercent.Resolve(rollingUpdate?["maxUnavailable"], desired, roundUp: true, fallback: 1);
        var maxSurge = IntOrPercent.Resolve(rollingUpdate?["maxSurge"], desired, roundUp: true, fallback: 0);
        if (desired > 0 && maxUnavailable == 0 && maxSurge == 0)
        {
            // An impossible pair (e.g. "0%" of a few nodes) falls back to one at a time rather than never rolling.
            maxUnavailable = 1;
        }

        return (true, maxSurge, maxUnavailable);
    }

    private static Dictionary<string, List<JsonObject>> GroupByNode(IReadOnlyList<JsonObject> pods, bool includeDeletedTerminal)
    {
        var byNode = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (!includeDeletedTerminal && PodConditions.IsTerminating(pod) && PodConditions.Phase(pod) is "Succeeded" or "Failed")
            {
                continue;
            }

            if (DaemonSetPods.TargetNode(pod) is not { } node)
            {
                continue;
            }

            if (!byNode.TryGetValue(node, out var list))
            {
                byNode[node] = list = [];
            }

            list.Add(pod);
        }

        return byNode;
    }

    // The node list's order first, then nodes that are gone, by name: a stable order for choosing candidates.
    private static List<(string Node, List<JsonObject> Pods)> OrderByNodes(Dictionary<string, List<JsonObject>> byNode, List<(string Name, NodeFit Fit)> fits)
    {
        var ordered = new List<(string, List<JsonObject>)>(byNode.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in fits)
        {
            if (byNode.TryGetValue(name, out var pods) && seen.Add(name))
            {
                ordered.Add((name, pods));
            }
        }

        foreach (var (name, pods) in byNode.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (seen.Add(name))
            {
                ordered.Add((name, pods));
            }
        }

        return ordered;
    }

    private static TimeSpan? AvailabilityWait(IReadOnlyList<JsonObject> pods, int minReadySeconds, DateTimeOffset now)
    {
        DateTimeOffset? earliest = null;
        foreach (var pod in pods)
        {
            if (!PodConditions.IsTerminating(pod) && PodConditions.AvailableAt(pod, minReadySeconds, now) is { } at && (earliest is null || at < earliest))
            {
                earliest = at;
            }
        }

        return earliest - now;
    }

    // podByCreationTimestampAndPhase: bound pods first, then the oldest, then by name.
    private static int OldestScheduledFirst(JsonObject a, JsonObject b)
    {
        var aBound = !string.IsNullOrEmpty((a["spec"] as JsonObject)?.GetString("nodeName"));
        var bBound = !string.IsNullOrEmpty((b["spec"] as JsonObject)?.GetString("nodeName"));
        if (aBound != bBound)
        {
            return aBound ? -1 : 1;
        }

        var aTime = Created(a);
        var bTime = Created(b);
        return aTime != bTime
            ? aTime.CompareTo(bTime)
            : string.CompareOrdinal(a.Metadata().GetString("name"), b.Metadata().GetString("name"));
    }

    private static DateTimeOffset Created(JsonObject pod) =>
        KubeDuration.TryParseTimestamp(pod.Metadata().GetString("creationTimestamp"), out var at) ? at : DateTimeOffset.MinValue;

    private static TimeSpan Earliest(TimeSpan? current, TimeSpan candidate) => current is { } c && c < candidate ? c : candidate;

    private static int? Int(JsonNode? node) =>
        DaemonSetPods.Integer(node) is { } l && l is >= int.MinValue and <= int.MaxValue ? (int)l : null;
}
