namespace EdgeCloud.Controllers.Scheduling;

/// <summary>
/// One of a required node affinity's nodeSelectorTerms (core/v1 NodeSelectorTerm): all its matchExpressions
/// (on labels) and matchFields (on <c>metadata.name</c>) must hold. A term with neither matches no node.
/// </summary>
public sealed class NodeAffinityTerm
{
    private readonly NodeSelectorRequirement[] _expressions;
    private readonly NodeSelectorRequirement[] _fields;

    /// <summary>A term of label requirements and field requirements.</summary>
    public NodeAffinityTerm(IReadOnlyList<NodeSelectorRequirement> matchExpressions, IReadOnlyList<NodeSelectorRequirement> matchFields)
    {
        ArgumentNullException.ThrowIfNull(matchExpressions);
        ArgumentNullException.ThrowIfNull(matchFields);
        _expressions = [.. matchExpressions];
        _fields = [.. matchFields];
    }

    /// <summary>Requirements on the node's labels.</summary>
    public IReadOnlyList<NodeSelectorRequirement> MatchExpressions => _expressions;

    /// <summary>Requirements on the node's fields; only <c>metadata.name</c> exists.</summary>
    public IReadOnlyList<NodeSelectorRequirement> MatchFields => _fields;

    /// <summary>True when <paramref name="node"/> meets every requirement of the term.</summary>
    public bool Matches(NodeSnapshot node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (_expressions.Length == 0 && _fields.Length == 0)
        {
            return false;
        }

        foreach (var requirement in _expressions)
        {
            if (!requirement.Matches(node.Labels.TryGetValue(requirement.Key, out var value) ? value : null))
            {
                return false;
            }
        }

        foreach (var requirement in _fields)
        {
            // metadata.name is the one node field selectors support; any other field makes the term unusable.
            if (requirement.Key != "metadata.name" || !requirement.Matches(node.Name))
            {
                return false;
            }
        }

        return true;
    }
}
