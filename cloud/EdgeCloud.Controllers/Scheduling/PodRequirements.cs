using EdgeCloud.Kube.Selectors;

namespace EdgeCloud.Controllers.Scheduling;

/// <summary>
/// What the scheduler needs of a Pod, parsed once from its core/v1 JSON (<see cref="FromPod"/>): the effective
/// resource requests, where it may run (nodeSelector, required node affinity, tolerations), how it spreads, and
/// what identifies it for spreading (labels, namespace, controller). Immutable.
/// </summary>
public sealed partial class PodRequirements
{
    private readonly KeyValuePair<string, string>[] _nodeSelector;
    private readonly NodeAffinityTerm[]? _requiredAffinity;
    private readonly Toleration[] _tolerations;
    private readonly Dictionary<string, string> _labels;

    private PodRequirements(string name, string @namespace, Dictionary<string, string> labels, string? controllerUid,
        ResourceTally requests, ResourceTally nonZero, KeyValuePair<string, string>[] nodeSelector,
        NodeAffinityTerm[]? requiredAffinity, Toleration[] tolerations, TopologySpreadConstraint[] spreadConstraints)
    {
        Name = name;
        Namespace = @namespace;
        _labels = labels;
        ControllerUid = controllerUid;
        Tally = requests;
        Requests = requests.ToAmounts(pods: 1);
        NonZeroMilliCpu = nonZero.MilliCpu;
        NonZeroMemory = nonZero.Memory;
        _nodeSelector = nodeSelector;
        _requiredAffinity = requiredAffinity;
        _tolerations = tolerations;
        TopologySpreadConstraints = spreadConstraints;
    }

    /// <summary>metadata.name.</summary>
    public string Name { get; }

    /// <summary>metadata.namespace.</summary>
    public string Namespace { get; }

    /// <summary>metadata.labels.</summary>
    public IReadOnlyDictionary<string, string> Labels => _labels;

    /// <summary>The uid of the ownerReference with <c>controller: true</c> (its ReplicaSet, Job, ...), or null.</summary>
    public string? ControllerUid { get; }

    /// <summary>
    /// The effective requests, as kube-scheduler computes them: the containers' requests summed (a resource with a
    /// limit but no request requests its limit, as API defaulting does), raised to what each init container needs
    /// while it runs (with the sidecars started before it), plus spec.overhead. <see cref="ResourceAmounts.Pods"/> is 1.
    /// </summary>
    public ResourceAmounts Requests { get; }

    /// <summary>CPU for scoring: as <see cref="Requests"/>, but a container that requests no CPU counts 100m (upstream's DefaultMilliCPURequest).</summary>
    public long NonZeroMilliCpu { get; }

    /// <summary>Memory for scoring: a container that requests no memory counts 200Mi (upstream's DefaultMemoryRequest).</summary>
    public long NonZeroMemory { get; }

    /// <summary>spec.nodeSelector.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> NodeSelector => _nodeSelector;

    /// <summary>
    /// spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: a node must
    /// match one of them. Null when the pod has no required node affinity.
    /// </summary>
    public IReadOnlyList<NodeAffinityTerm>? RequiredNodeAffinity => _requiredAffinity;

    /// <summary>spec.tolerations.</summary>
    public IReadOnlyList<Toleration> Tolerations => _tolerations;

    /// <summary>spec.topologySpreadConstraints.</summary>
    public IReadOnlyList<TopologySpreadConstraint> TopologySpreadConstraints { get; }

    internal ResourceTally Tally { get; }

    /// <summary>True when <paramref name="node"/> has every nodeSelector label and matches a required affinity term.</summary>
    public bool MatchesNodeSelectorAndAffinity(NodeSnapshot node)
    {
        ArgumentNullException.ThrowIfNull(node);
        foreach (var (key, value) in _nodeSelector)
        {
            if (!node.Labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        if (_requiredAffinity is null)
        {
            return true;
        }

        foreach (var term in _requiredAffinity)
        {
            if (term.Matches(node))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when one of the pod's tolerations tolerates <paramref name="taint"/>.</summary>
    public bool Tolerates(Taint taint)
    {
        foreach (var toleration in _tolerations)
        {
            if (toleration.Tolerates(taint))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="selector"/>, applied in <paramref name="namespace"/>, selects this pod.</summary>
    internal bool IsSelectedBy(string @namespace, LabelSelector selector) =>
        Namespace == @namespace && selector.Matches(_labels);
}
