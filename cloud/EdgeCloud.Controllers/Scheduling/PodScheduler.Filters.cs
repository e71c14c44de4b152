namespace EdgeCloud.Controllers.Scheduling;

public sealed partial class PodScheduler
{
    // The reasons kube-scheduler's filter plugins give, word for word: users search for them.
    internal const string ReasonUnschedulable = "node(s) were unschedulable";
    internal const string ReasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector";
    internal const string ReasonTooManyPods = "Too many pods";
    internal const string ReasonInsufficientCpu = "Insufficient cpu";
    internal const string ReasonInsufficientMemory = "Insufficient memory";
    internal const string ReasonInsufficientEphemeralStorage = "Insufficient ephemeral-storage";
    internal const string ReasonSpreadConstraints = "node(s) didn't match pod topology spread constraints";
    internal const string ReasonSpreadMissingLabel = "node(s) didn't match pod topology spread constraints (missing required label)";

    private static readonly Taint UnschedulableTaint = new(Taint.UnschedulableKey, "", Taint.NoSchedule);

    // The default profile's filters in its order; a node's first failing filter gives its reasons.
    private static bool Fits(PodRequirements pod, SchedulerNode node, SpreadFilter? spreadFilter, ref Dictionary<string, int>? reasons)
    {
        var snapshot = node.Snapshot!;

        // NodeUnschedulable: a cordoned node takes only pods that tolerate the unschedulable taint.
        if (snapshot.Unschedulable && !pod.Tolerates(UnschedulableTaint))
        {
            return Fail(ref reasons, ReasonUnschedulable);
        }

        // TaintToleration: the first NoSchedule or NoExecute taint the pod does not tolerate.
        foreach (var taint in snapshot.SchedulingTaintArray)
        {
            if (taint.Effect is Taint.NoSchedule or Taint.NoExecute && !pod.Tolerates(taint))
            {
                return Fail(ref reasons, taint.UntoleratedReason);
            }
        }

        // NodeAffinity: nodeSelector and required node affinity.
        if (!pod.MatchesNodeSelectorAndAffinity(snapshot))
        {
            return Fail(ref reasons, ReasonNodeAffinity);
        }

        if (!FitsResources(pod, node, snapshot, ref reasons))
        {
            return false;
        }

        if (spreadFilter is not null && spreadFilter.Rejects(snapshot) is { } spreadReason)
        {
            return Fail(ref reasons, spreadReason);
        }

        return true;
    }

    // NodeResourcesFit (fitsRequest): every resource short on the node is a reason of its own.
    private static bool FitsResources(PodRequirements pod, SchedulerNode node, NodeSnapshot snapshot, ref Dictionary<string, int>? reasons)
    {
        var allocatable = snapshot.Allocatable;
        var requested = node.Requested;
        var request = pod.Tally;
        var fits = true;
        if (node.PodCount + 1 > allocatable.Pods)
        {
            fits = Fail(ref reasons, ReasonTooManyPods);
        }

        if (request.MilliCpu > 0 && request.MilliCpu > allocatable.MilliCpu - requested.MilliCpu)
        {
            fits = Fail(ref reasons, ReasonInsufficientCpu);
        }

        if (request.Memory > 0 && request.Memory > allocatable.Memory - requested.Memory)
        {
            fits = Fail(ref reasons, ReasonInsufficientMemory);
        }

        if (request.EphemeralStorage > 0 && request.EphemeralStorage > allocatable.EphemeralStorage - requested.EphemeralStorage)
        {
            fits = Fail(ref reasons, ReasonInsufficientEphemeralStorage);
        }

        if (request.Extended is not null)
        {
            foreach (var (name, amount) in request.Extended)
            {
                var available = (allocatable.Extended.TryGetValue(name, out var total) ? total : 0) - requested.GetExtended(name);
                if (amount > 0 && amount > available)
                {
                    fits = Fail(ref reasons, "Insufficient " + name);
                }
            }
        }

        return fits;
    }

    private static bool Fail(ref Dictionary<string, int>? reasons, string reason)
    {
        reasons ??= new Dictionary<string, int>(StringComparer.Ordinal);
        reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
        return false;
    }
}
