namespace EdgeCloud.Controllers.Scheduling;

/// <summary>
/// A node as the scheduler cache holds it: its latest snapshot and the running totals of what is bound to it, kept
/// across node updates. The snapshot is null while pods are known on a node the cache has not seen (or no longer
/// sees): such a node is never a candidate, but its totals survive until the node (re)appears.
/// </summary>
internal sealed class SchedulerNode(string name)
{
    public string Name { get; } = name;

    public NodeSnapshot? Snapshot { get; set; }

    /// <summary>Sum of the bound pods' effective requests.</summary>
    public ResourceTally Requested { get; } = new();

    /// <summary>Sum of the bound pods' requests with upstream's defaults for missing CPU and memory, for scoring.</summary>
    public long NonZeroMilliCpu { get; set; }

    public long NonZeroMemory { get; set; }

    public int PodCount { get; set; }

    public Dictionary<string, PodRequirements> Pods { get; } = new(StringComparer.Ordinal);
}
