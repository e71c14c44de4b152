namespace EdgeCloud.Controllers.Scheduling;

/// <summary>
/// The PodTopologySpread filter for one pod: its DoNotSchedule constraints with the matching pods counted per
/// domain over every node the pod's node affinity and selector allow and that has all the constraints' keys
/// (PreFilter), then a node is rejected when placing the pod there would make its domain exceed maxSkew over the
/// least loaded domain.
/// </summary>
internal sealed class SpreadFilter
{
    private readonly TopologySpreadConstraint[] _constraints;
    private readonly Dictionary<string, int>[] _domainCounts;
    private readonly int[] _minMatch;
    private readonly int[] _selfMatch;

    private SpreadFilter(TopologySpreadConstraint[] constraints)
    {
        _constraints = constraints;
        _domainCounts = new Dictionary<string, int>[constraints.Length];
        _minMatch = new int[constraints.Length];
        _selfMatch = new int[constraints.Length];
    }

    /// <summary>The filter state for <paramref name="pod"/>; null when it has no DoNotSchedule constraint.</summary>
    public static SpreadFilter? Create(PodRequirements pod, SchedulerCache cache, SchedulerNode[] nodes)
    {
        var hard = new List<TopologySpreadConstraint>();
        foreach (var constraint in pod.TopologySpreadConstraints)
        {
            if (constraint.WhenUnsatisfiable == UnsatisfiableConstraintAction.DoNotSchedule)
            {
                hard.Add(constraint);
            }
        }

        if (hard.Count == 0)
        {
            return null;
        }

        var filter = new SpreadFilter([.. hard]);
        var counts = new PodCountIndex[hard.Count];
        for (var i = 0; i < hard.Count; i++)
        {
            counts[i] = cache.SelectorCount(pod.Namespace, hard[i].Selector);
            filter._domainCounts[i] = new Dictionary<string, int>(StringComparer.Ordinal);
            filter._selfMatch[i] = pod.IsSelectedBy(pod.Namespace, hard[i].Selector) ? 1 : 0;
        }

        foreach (var node in nodes)
        {
            var snapshot = node.Snapshot!;
            if (!pod.MatchesNodeSelectorAndAffinity(snapshot) || !HasAllKeys(snapshot, filter._constraints))
            {
                continue;
            }

            for (var i = 0; i < hard.Count; i++)
            {
                var domain = snapshot.TopologyValue(hard[i].TopologyKey)!;
                var domainCounts = filter._domainCounts[i];
                domainCounts[domain] = domainCounts.GetValueOrDefault(domain) + counts[i].CountOn(node);
            }
        }

        for (var i = 0; i < hard.Count; i++)
        {
            var domainCounts = filter._domainCounts[i];
            var min = 0;
            // With fewer domains than minDomains, the global minimum is taken as 0 (pods must go to new domains).
            if (domainCounts.Count > 0 && domainCounts.Count >= (hard[i].MinDomains ?? 1))
            {
                min = int.MaxValue;
                foreach (var count in domainCounts.Values)
                {
                    min = Math.Min(min, count);
                }
            }

            filter._minMatch[i] = min;
        }

        return filter;
    }

    /// <summary>Null when the pod may go to <paramref name="snapshot"/>; otherwise the filter's reason.</summary>
    public string? Rejects(NodeSnapshot snapshot)
    {
        for (var i = 0; i < _constraints.Length; i++)
        {
            var constraint = _constraints[i];
            if (snapshot.TopologyValue(constraint.TopologyKey) is not { } domain)
            {
                return PodScheduler.ReasonSpreadMissingLabel;
            }

            var skew = _domainCounts[i].GetValueOrDefault(domain) + _selfMatch[i] - _minMatch[i];
            if (skew > constraint.MaxSkew)
            {
                return PodScheduler.ReasonSpreadConstraints;
            }
        }

        return null;
    }

    internal static bool HasAllKeys(NodeSnapshot snapshot, IReadOnlyList<TopologySpreadConstraint> constraints)
    {
        for (var i = 0; i < constraints.Count; i++)
        {
            if (snapshot.TopologyValue(constraints[i].TopologyKey) is null)
            {
                return false;
            }
        }

        return true;
    }
}
