using EdgeCloud.Kube.Selectors;

namespace EdgeCloud.Controllers.Scheduling;

/// <summary>
/// How many bound pods of one kind are on each node: the pods a spread constraint's selector picks in a namespace,
/// or the pods of one controller (for the default spreading). Kept up to date as pods are added and removed, so
/// spreading reads a count per node, and visits only the nodes that have such pods, instead of matching every
/// bound pod on every node.
/// </summary>
internal sealed class PodCountIndex
{
    private readonly string? _ownerUid;
    private readonly string _namespace;
    private readonly LabelSelector _selector;

    private PodCountIndex(string? ownerUid, string @namespace, LabelSelector selector)
    {
        _ownerUid = ownerUid;
        _namespace = @namespace;
        _selector = selector;
    }

    /// <summary>An index that counts nothing, for an owner no bound pod has.</summary>
    public static PodCountIndex Empty { get; } = new(null, "", LabelSelector.Nothing);

    /// <summary>Nodes with at least one counted pod, and how many.</summary>
    public Dictionary<SchedulerNode, int> Counts { get; } = [];

    /// <summary>The cache's use clock when a schedule last read this index; the least recently used goes first.</summary>
    public long LastUsed { get; set; }

    public static PodCountIndex ForSelector(string @namespace, LabelSelector selector) => new(null, @namespace, selector);

    public static PodCountIndex ForOwner(string ownerUid) => new(ownerUid, "", LabelSelector.Nothing);

    public int CountOn(SchedulerNode node) => Counts.TryGetValue(node, out var count) ? count : 0;

    public bool Includes(PodRequirements pod) =>
        _ownerUid is not null ? pod.ControllerUid == _ownerUid : pod.IsSelectedBy(_namespace, _selector);

    public void Adjust(SchedulerNode node, PodRequirements pod, int delta)
    {
        if (!Includes(pod))
        {
            return;
        }

        var count = CountOn(node) + delta;
        if (count <= 0)
        {
            Counts.Remove(node);
        }
        else
        {
            Counts[node] = count;
        }
    }

    public static string SelectorKey(string @namespace, LabelSelector selector) =>
        // Nothing and Everything both print as ""; tell them apart.
        (selector.IsNothing ? "0" : "1") + @namespace + "\n" + selector;
}
