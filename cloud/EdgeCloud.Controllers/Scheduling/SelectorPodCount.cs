using EdgeCloud.Kube.Selectors;

namespace EdgeCloud.Controllers.Scheduling;

/// <summary>
/// How many bound pods a spread constraint's selector picks on each node, kept up to date as pods are added and
/// removed, so scoring a pod reads a count per node instead of matching every pod bound there.
/// </summary>
internal sealed class SelectorPodCount(string @namespace, LabelSelector selector)
{
    private readonly Dictionary<SchedulerNode, int> _counts = [];

    public string Namespace { get; } = @namespace;

    public LabelSelector Selector { get; } = selector;

    /// <summary>The cache's use clock when a schedule last read this count; the least recently used goes first.</summary>
    public long LastUsed { get; set; }

    public int CountOn(SchedulerNode node) => _counts.TryGetValue(node, out var count) ? count : 0;

    public void Adjust(SchedulerNode node, PodRequirements pod, int delta)
    {
        if (!pod.IsSelectedBy(Namespace, Selector))
        {
            return;
        }

        var count = CountOn(node) + delta;
        if (count <= 0)
        {
            _counts.Remove(node);
        }
        else
        {
            _counts[node] = count;
        }
    }

    public static string KeyOf(string @namespace, LabelSelector selector) =>
        // Nothing and Everything both print as ""; tell them apart.
        (selector.IsNothing ? "0" : "1") + @namespace + "\n" + selector;
}
