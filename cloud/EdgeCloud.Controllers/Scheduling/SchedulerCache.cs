using System.Runtime.InteropServices;

namespace EdgeCloud.Controllers.Scheduling;

/// <summary>
/// The scheduler's view of the cluster: each node's latest <see cref="NodeSnapshot"/> and what is bound to it
/// (requests, pod count, pods by controller and by spread selector). A pod is added as soon as it is bound
/// ("assumed", before the watch shows the binding) and adding it again under the same key replaces it, so the
/// informer echo of the same binding changes nothing. A node update keeps the totals of the pods bound to it.
/// Not thread-safe: one scheduling loop owns it.
/// </summary>
public sealed class SchedulerCache
{
    // Distinct spread selectors whose per-node counts are kept; past this, the least recently used is dropped
    // (and rebuilt from the bound pods if a pod needs it again).
    private const int MaxSelectorCounts = 1024;

    private readonly Dictionary<string, SchedulerNode> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SchedulerNode> _podNodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodCountIndex> _selectorCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodCountIndex> _ownerCounts = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, List<SchedulerNode>> _zones = new(StringComparer.Ordinal);
    private SchedulerNode[] _ordered = [];
    private bool _orderStale;
    private long _useClock;

    /// <summary>The number of nodes that can be scheduled onto (known nodes, not nodes only named by bound pods).</summary>
    public int NodeCount { get; private set; }

    /// <summary>The number of pods counted as bound.</summary>
    public int PodCount => _podNodes.Count;

    /// <summary>Adds a node, or replaces its snapshot; pods already bound to it stay counted.</summary>
    public void AddOrUpdateNode(NodeSnapshot node)
    {
        ArgumentNullException.ThrowIfNull(node);
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_nodes, node.Name, out _);
        entry ??= new SchedulerNode(node.Name);
        var previous = entry.Snapshot;
        entry.Snapshot = node;
        if (previous is null)
        {
            NodeCount++;
            ZoneList(node.Zone).Add(entry);
            _orderStale = true;
        }
        else if (previous.Zone != node.Zone)
        {
            RemoveFromZone(entry, previous.Zone);
            ZoneList(node.Zone).Add(entry);
            _orderStale = true;
        }
    }

    /// <summary>Removes a node. Pods still bound to it stay counted until removed, and count again if the node returns.</summary>
    /// <returns>False when the node was not known.</returns>
    public bool RemoveNode(string nodeName)
    {
        if (!_nodes.TryGetValue(nodeName, out var entry) || entry.Snapshot is null)
        {
            return false;
        }

        RemoveFromZone(entry, entry.Snapshot.Zone);
        entry.Snapshot = null;
        NodeCount--;
        _orderStale = true;
        if (entry.PodCount == 0)
        {
            _nodes.Remove(nodeName);
        }

        return true;
    }

    /// <summary>The node's latest snapshot, if the node is known.</summary>
    public bool TryGetNode(string nodeName, out NodeSnapshot node)
    {
        if (_nodes.TryGetValue(nodeName, out var entry) && entry.Snapshot is { } snapshot)
        {
            node = snapshot;
            return true;
        }

        node = null!;
        return false;
    }

    /// <summary>
    /// Counts <paramref name="pod"/> as bound to <paramref name="nodeName"/> (a binding just made, or a bound pod
    /// the watch shows). Idempotent by <paramref name="podKey"/>: a pod added again replaces its earlier entry,
    /// moving it if the node differs.
    /// </summary>
    public void AddPod(string podKey, PodRequirements pod, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(podKey);
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(nodeName);
        if (_podNodes.TryGetValue(podKey, out var current))
        {
            if (current.Name == nodeName && ReferenceEquals(current.Pods[podKey], pod))
            {
                return;
            }

            RemovePod(podKey);
        }

        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_nodes, nodeName, out _);
        entry ??= new SchedulerNode(nodeName);
        var node = entry;
        node.Pods[podKey] = pod;
        _podNodes[podKey] = node;
        Account(node, pod, 1);
    }

    /// <summary>Stops counting the pod (deleted, or its binding failed).</summary>
    /// <returns>False when the pod was not counted.</returns>
    public bool RemovePod(string podKey)
    {
        if (!_podNodes.Remove(podKey, out var node))
        {
            return false;
        }

        node.Pods.Remove(podKey, out var pod);
        Account(node, pod!, -1);
        if (node.PodCount == 0 && node.Snapshot is null)
        {
            _nodes.Remove(node.Name);
        }

        return true;
    }

    /// <summary>The node a pod is counted on, or null.</summary>
    public string? NodeOfPod(string podKey) => _podNodes.TryGetValue(podKey, out var node) ? node.Name : null;

    /// <summary>What is counted as bound to a node (also a node the cache knows only through its pods); null when nothing is known.</summary>
    public NodeUsage? GetUsage(string nodeName)
    {
        if (!_nodes.TryGetValue(nodeName, out var node))
        {
            return null;
        }

        var keys = new List<string>(node.Pods.Keys);
        keys.Sort(StringComparer.Ordinal);
        return new NodeUsage(node.Requested.ToAmounts(node.PodCount), keys);
    }

    /// <summary>
    /// The schedulable nodes, interleaved across zones (one from each zone in turn, as kube-scheduler's node tree
    /// lists them) so that a search that stops early still sees every zone.
    /// </summary>
    internal SchedulerNode[] OrderedNodes()
    {
        if (_orderStale)
        {
            var ordered = new SchedulerNode[NodeCount];
            var count = 0;
            for (var round = 0; count < ordered.Length; round++)
            {
                foreach (var zone in _zones.Values)
                {
                    if (round < zone.Count)
                    {
                        ordered[count++] = zone[round];
                    }
                }
            }

            _ordered = ordered;
            _orderStale = false;
        }

        return _ordered;
    }

    /// <summary>The per-node counts of pods <paramref name="selector"/> picks in <paramref name="namespace"/>, built on first use.</summary>
    internal PodCountIndex SelectorCount(string @namespace, Kube.Selectors.LabelSelector selector)
    {
        var key = PodCountIndex.SelectorKey(@namespace, selector);
        if (!_selectorCounts.TryGetValue(key, out var counts))
        {
            if (_selectorCounts.Count >= MaxSelectorCounts)
            {
                EvictLeastRecentlyUsed();
            }

            counts = PodCountIndex.ForSelector(@namespace, selector);
            foreach (var node in _nodes.Values)
            {
                foreach (var pod in node.Pods.Values)
                {
                    counts.Adjust(node, pod, 1);
                }
            }

            _selectorCounts[key] = counts;
        }

        counts.LastUsed = ++_useClock;
        return counts;
    }

    /// <summary>The per-node counts of the bound pods of the controller with this uid.</summary>
    internal PodCountIndex OwnerCount(string ownerUid) =>
        _ownerCounts.TryGetValue(ownerUid, out var counts) ? counts : PodCountIndex.Empty;

    private void EvictLeastRecentlyUsed()
    {
        string? oldest = null;
        var oldestUse = long.MaxValue;
        foreach (var (key, counts) in _selectorCounts)
        {
            if (counts.LastUsed < oldestUse)
            {
                oldest = key;
                oldestUse = counts.LastUsed;
            }
        }

        _selectorCounts.Remove(oldest!);
    }

    private void Account(SchedulerNode node, PodRequirements pod, int sign)
    {
        if (sign > 0)
        {
            node.Requested.Add(pod.Tally);
        }
        else
        {
            node.Requested.Subtract(pod.Tally);
        }

        node.NonZeroMilliCpu += sign * pod.NonZeroMilliCpu;
        node.NonZeroMemory += sign * pod.NonZeroMemory;
        node.PodCount += sign;
        if (pod.ControllerUid is { } uid)
        {
            ref var owner = ref CollectionsMarshal.GetValueRefOrAddDefault(_ownerCounts, uid, out _);
            owner ??= PodCountIndex.ForOwner(uid);
            owner.Adjust(node, pod, sign);
            if (owner.Counts.Count == 0)
            {
                _ownerCounts.Remove(uid);
            }
        }

        foreach (var counts in _selectorCounts.Values)
        {
            counts.Adjust(node, pod, sign);
        }
    }

    private void RemoveFromZone(SchedulerNode node, string? zone)
    {
        var list = ZoneList(zone);
        list.Remove(node);
        if (list.Count == 0)
        {
            _zones.Remove(zone ?? "");
        }
    }

    private List<SchedulerNode> ZoneList(string? zone)
    {
        if (!_zones.TryGetValue(zone ?? "", out var list))
        {
            list = [];
            _zones[zone ?? ""] = list;
        }

        return list;
    }
}
