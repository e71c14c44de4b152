using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCloud.Kube.Selectors;

namespace EdgeCloud.Controllers.Scheduling;

public sealed partial class PodScheduler
{
    // framework.MaxNodeScore, and the default profile's plugin weights.
    private const long MaxNodeScore = 100;
    private const long ResourcesFitWeight = 1;
    private const long BalancedAllocationWeight = 1;
    private const long TaintTolerationWeight = 3;
    private const long TopologySpreadWeight = 2;

    // podtopologyspread's system default constraints: spread over hosts and zones, scoring only.
    private static readonly TopologySpreadConstraint[] SystemDefaultConstraints =
    [
        new() { MaxSkew = 3, TopologyKey = NodeSnapshot.HostnameLabel, WhenUnsatisfiable = UnsatisfiableConstraintAction.ScheduleAnyway, Selector = LabelSelector.Nothing },
        new() { MaxSkew = 5, TopologyKey = NodeSnapshot.ZoneLabel, WhenUnsatisfiable = UnsatisfiableConstraintAction.ScheduleAnyway, Selector = LabelSelector.Nothing },
    ];

    private long[] _totals = [];
    private long[] _scratch = [];
    private bool[] _ignored = [];

    // Scores the feasible nodes and takes the best; among equals, a rotating choice (upstream picks at random).
    private SchedulerNode SelectHost(PodRequirements pod, SchedulerCache cache)
    {
        var count = _feasible.Count;
        if (_totals.Length < count)
        {
            _totals = new long[count];
            _scratch = new long[count];
            _ignored = new bool[count];
        }

        var totals = _totals.AsSpan(0, count);
        for (var i = 0; i < count; i++)
        {
            var node = _feasible[i];
            totals[i] = (ResourcesFitWeight * LeastAllocatedScore(pod, node)) + (BalancedAllocationWeight * BalancedAllocationScore(pod, node));
        }

        AddTaintTolerationScores(pod, totals);
        AddTopologySpreadScores(pod, cache, totals);

        var best = long.MinValue;
        var ties = 0;
        foreach (var total in totals)
        {
            if (total > best)
            {
                best = total;
                ties = 1;
            }
            else if (total == best)
            {
                ties++;
            }
        }

        var pick = (int)(_tieRotation++ % (uint)ties);
        for (var i = 0; i < count; i++)
        {
            if (totals[i] == best && pick-- == 0)
            {
                return _feasible[i];
            }
        }

        return _feasible[0];
    }

    // NodeResourcesFit, LeastAllocated over cpu and memory (weight 1 each), with upstream's non-zero requests.
    private static long LeastAllocatedScore(PodRequirements pod, SchedulerNode node)
    {
        var allocatable = node.Snapshot!.Allocatable;
        return (LeastRequested(node.NonZeroMilliCpu + pod.NonZeroMilliCpu, allocatable.MilliCpu)
            + LeastRequested(node.NonZeroMemory + pod.NonZeroMemory, allocatable.Memory)) / 2;
    }

    private static long LeastRequested(long requested, long capacity) =>
        capacity == 0 || requested > capacity ? 0 : (capacity - requested) * MaxNodeScore / capacity;

    // NodeResourcesBalancedAllocation: 1 - the spread of the cpu and memory fractions (std of two = half the difference).
    private static long BalancedAllocationScore(PodRequirements pod, SchedulerNode node)
    {
        var allocatable = node.Snapshot!.Allocatable;
        if (allocatable.MilliCpu == 0 || allocatable.Memory == 0)
        {
            return MaxNodeScore;
        }

        var cpu = Math.Min(1.0, (double)(node.Requested.MilliCpu + pod.Tally.MilliCpu) / allocatable.MilliCpu);
        var memory = Math.Min(1.0, (double)(node.Requested.Memory + pod.Tally.Memory) / allocatable.Memory);
        var std = Math.Abs((cpu - memory) / 2);
        return (long)((1 - std) * MaxNodeScore);
    }

    // TaintToleration score: fewer untolerated PreferNoSchedule taints is better; normalized in reverse.
    private void AddTaintTolerationScores(PodRequirements pod, Span<long> totals)
    {
        var counts = _scratch.AsSpan(0, totals.Length);
        long max = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            long untolerated = 0;
            foreach (var taint in _feasible[i].Snapshot!.SchedulingTaintArray)
            {
                if (taint.Effect == Taint.PreferNoSchedule && !pod.Tolerates(taint))
                {
                    untolerated++;
                }
            }

            counts[i] = untolerated;
            max = Math.Max(max, untolerated);
        }

        for (var i = 0; i < counts.Length; i++)
        {
            var score = max == 0 ? MaxNodeScore : MaxNodeScore - (MaxNodeScore * counts[i] / max);
            totals[i] += TaintTolerationWeight * score;
        }
    }

    // PodTopologySpread score (PreScore, Score, NormalizeScore): fewer matching pods in the node's domains is
    // better. ScheduleAnyway constraints count; a pod with no constraints at all gets the system defaults,
    // counting the pods of its controller.
    private void AddTopologySpreadScores(PodRequirements pod, SchedulerCache cache, Span<long> totals)
    {
        var systemDefaulted = pod.TopologySpreadConstraints.Count == 0;
        TopologySpreadConstraint[] constraints;
        PodCountIndex[] sources;
        if (systemDefaulted)
        {
            if (pod.ControllerUid is null)
            {
                return;
            }

            constraints = SystemDefaultConstraints;
            var owner = cache.OwnerCount(pod.ControllerUid);
            sources = [owner, owner];
        }
        else
        {
            var soft = new List<TopologySpreadConstraint>();
            foreach (var constraint in pod.TopologySpreadConstraints)
            {
                if (constraint.WhenUnsatisfiable == UnsatisfiableConstraintAction.ScheduleAnyway)
                {
                    soft.Add(constraint);
                }
            }

            if (soft.Count == 0)
            {
                return;
            }

            constraints = [.. soft];
            sources = new PodCountIndex[constraints.Length];
            for (var c = 0; c < constraints.Length; c++)
            {
                sources[c] = cache.SelectorCount(pod.Namespace, constraints[c].Selector);
            }
        }

        // Nodes without every key are ignored, except under the system defaults (requireAllTopologies).
        var requireAll = !systemDefaulted;
        var count = totals.Length;
        var ignored = _ignored.AsSpan(0, count);
        var ignoredCount = 0;
        var domains = new Dictionary<string, long>?[constraints.Length];
        for (var c = 0; c < constraints.Length; c++)
        {
            if (constraints[c].TopologyKey != NodeSnapshot.HostnameLabel)
            {
                domains[c] = new Dictionary<string, long>(StringComparer.Ordinal);
            }
        }

        for (var i = 0; i < count; i++)
        {
            var snapshot = _feasible[i].Snapshot!;
            ignored[i] = requireAll && !SpreadFilter.HasAllKeys(snapshot, constraints);
            if (ignored[i])
            {
                ignoredCount++;
                continue;
            }

            for (var c = 0; c < constraints.Length; c++)
            {
                if (domains[c] is { } domain && snapshot.TopologyValue(constraints[c].TopologyKey) is { } value)
                {
                    domain.TryAdd(value, 0);
                }
            }
        }

        var weights = new double[constraints.Length];
        for (var c = 0; c < constraints.Length; c++)
        {
            var size = domains[c]?.Count ?? count - ignoredCount;
            weights[c] = Math.Log(size + 2);
        }

        // Domain counts come from every node the pod could go to by affinity, not only the feasible ones; only
        // nodes holding counted pods add anything.
        for (var c = 0; c < constraints.Length; c++)
        {
            if (domains[c] is not { } domain)
            {
                continue;
            }

            foreach (var (node, matching) in sources[c].Counts)
            {
                if (node.Snapshot is not { } snapshot || !pod.MatchesNodeSelectorAndAffinity(snapshot)
                    || (requireAll && !SpreadFilter.HasAllKeys(snapshot, constraints))
                    || snapshot.TopologyValue(constraints[c].TopologyKey) is not { } value)
                {
                    continue;
                }

                ref var sum = ref CollectionsMarshal.GetValueRefOrNullRef(domain, value);
                if (!Unsafe.IsNullRef(ref sum))
                {
                    sum += matching;
                }
            }
        }

        var raw = _scratch.AsSpan(0, count);
        long min = long.MaxValue;
        long max = 0;
        for (var i = 0; i < count; i++)
        {
            if (ignored[i])
            {
                continue;
            }

            var node = _feasible[i];
            double score = 0;
            for (var c = 0; c < constraints.Length; c++)
            {
                if (node.Snapshot!.TopologyValue(constraints[c].TopologyKey) is not { } value)
                {
                    continue;
                }

                var matching = domains[c] is { } domain ? domain[value] : sources[c].CountOn(node);
                score += (matching * weights[c]) + (constraints[c].MaxSkew - 1);
            }

            raw[i] = (long)Math.Round(score);
            min = Math.Min(min, raw[i]);
            max = Math.Max(max, raw[i]);
        }

        for (var i = 0; i < count; i++)
        {
            long normalized;
            if (ignored[i])
            {
                normalized = 0;
            }
            else if (max == 0)
            {
                normalized = MaxNodeScore;
            }
            else
            {
                normalized = MaxNodeScore * (max + min - raw[i]) / max;
            }

            totals[i] += TopologySpreadWeight * normalized;
        }
    }
}
