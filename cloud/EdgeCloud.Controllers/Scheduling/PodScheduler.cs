using System.Globalization;
using System.Text;

namespace EdgeCloud.Controllers.Scheduling;

/// <summary>
/// Picks a node for a pod as kube-scheduler's default profile does, over a <see cref="SchedulerCache"/>: filters
/// (unschedulable, taints, node affinity and selector, resources, topology spread DoNotSchedule) until enough
/// feasible nodes are found, then scores them (least allocated, balanced allocation, PreferNoSchedule taints,
/// topology spread, with the default system spreading for pods without constraints) and takes the best.
/// Pure computation: no I/O. Keeps where the last search stopped and how ties were last broken, so a run of
/// equal pods does not pile onto one node. Not thread-safe: one scheduling loop owns it.
/// </summary>
public sealed partial class PodScheduler
{
    // pkg/scheduler/schedule_one.go: minFeasibleNodesToFind and minFeasibleNodesPercentageToFind.
    private const int MinFeasibleNodesToFind = 100;
    private const int MinFeasibleNodesPercentageToFind = 5;

    private readonly int _percentageOfNodesToScore;
    private readonly List<SchedulerNode> _feasible = [];
    private int _nextStartIndex;
    private uint _tieRotation;

    /// <summary>A scheduler with the given settings (defaults when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">PercentageOfNodesToScore is outside 0..100.</exception>
    public PodScheduler(PodSchedulerOptions? options = null)
    {
        var percentage = options?.PercentageOfNodesToScore ?? 0;
        if (percentage is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(options), percentage,
                "PodSchedulerOptions.PercentageOfNodesToScore must be between 0 (adaptive) and 100 (every node).");
        }

        _percentageOfNodesToScore = percentage;
    }

    /// <summary>Chooses a node for <paramref name="pod"/>, or explains in kube-scheduler's words why none fits.</summary>
    public SchedulingResult Schedule(PodRequirements pod, SchedulerCache cache)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(cache);
        var nodes = cache.OrderedNodes();
        if (nodes.Length == 0)
        {
            // schedule_one.go ErrNoNodesAvailable.
            return SchedulingResult.Failure("no nodes available to schedule pods", null, 0);
        }

        var spreadFilter = SpreadFilter.Create(pod, cache, nodes);
        var toFind = NumFeasibleNodesToFind(_percentageOfNodesToScore, nodes.Length);
        var start = _nextStartIndex % nodes.Length;
        var processed = 0;
        Dictionary<string, int>? reasons = null;
        _feasible.Clear();
        for (var i = 0; i < nodes.Length; i++)
        {
            var node = nodes[(start + i) % nodes.Length];
            processed++;
            if (Fits(pod, node, spreadFilter, ref reasons))
            {
                _feasible.Add(node);
                if (_feasible.Count >= toFind)
                {
                    break;
                }
            }
        }

        // The next pod's search starts where this one stopped, so every node gets its turn.
        _nextStartIndex = (start + processed) % nodes.Length;
        if (_feasible.Count == 0)
        {
            return SchedulingResult.Failure(FailureMessage(nodes.Length, reasons!), reasons, processed);
        }

        var chosen = _feasible.Count == 1 ? _feasible[0] : SelectHost(pod, cache);
        return SchedulingResult.Success(chosen.Name, processed, _feasible.Count);
    }

    /// <summary>
    /// How many feasible nodes the search looks for among <paramref name="numAllNodes"/> before scoring
    /// (schedule_one.go numFeasibleNodesToFind): all of them below 100 nodes; else the percentage (adaptive when 0:
    /// 50 - nodes/125, at least 5), and never fewer than 100.
    /// </summary>
    internal static int NumFeasibleNodesToFind(int percentageOfNodesToScore, int numAllNodes)
    {
        if (numAllNodes < MinFeasibleNodesToFind || percentageOfNodesToScore >= 100)
        {
            return numAllNodes;
        }

        var percentage = percentageOfNodesToScore;
        if (percentage == 0)
        {
            percentage = Math.Max(50 - (numAllNodes / 125), MinFeasibleNodesPercentageToFind);
        }

        return Math.Max((int)((long)numAllNodes * percentage / 100), MinFeasibleNodesToFind);
    }

    // FitError.Error: "0/N nodes are available: " then "count reason" pairs sorted as strings, joined by ", ".
    private static string FailureMessage(int numAllNodes, Dictionary<string, int> reasons)
    {
        var parts = new List<string>(reasons.Count);
        foreach (var (reason, count) in reasons)
        {
            parts.Add(count.ToString(CultureInfo.InvariantCulture) + " " + reason);
        }

        parts.Sort(StringComparer.Ordinal);
        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"0/{numAllNodes} nodes are available: ");
        message.AppendJoin(", ", parts);
        message.Append('.');
        return message.ToString();
    }
}
