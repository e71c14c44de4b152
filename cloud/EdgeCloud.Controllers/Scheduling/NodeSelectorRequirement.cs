using System.Globalization;

namespace EdgeCloud.Controllers.Scheduling;

/// <summary>One requirement of a node selector term: a key, an operator and values (core/v1 NodeSelectorRequirement).</summary>
public sealed class NodeSelectorRequirement
{
    private readonly string[] _values;
    private readonly long? _bound;

    /// <summary>A requirement; for Gt and Lt the single value is parsed as an integer once.</summary>
    public NodeSelectorRequirement(string key, NodeSelectorOperator @operator, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(values);
        Key = key;
        Operator = @operator;
        _values = [.. values];
        if (@operator is NodeSelectorOperator.Gt or NodeSelectorOperator.Lt && _values.Length == 1
            && long.TryParse(_values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound))
        {
            _bound = bound;
        }
    }

    /// <summary>The label key (or, in matchFields, the field: <c>metadata.name</c>).</summary>
    public string Key { get; }

    /// <summary>How the value is compared.</summary>
    public NodeSelectorOperator Operator { get; }

    /// <summary>The values.</summary>
    public IReadOnlyList<string> Values => _values;

    /// <summary>
    /// True when a node whose value for <see cref="Key"/> is <paramref name="value"/> (null when absent) meets the
    /// requirement. As upstream, a requirement that cannot be evaluated (In without values, Gt with a value that is
    /// not one integer, a label that is not an integer) does not match.
    /// </summary>
    public bool Matches(string? value)
    {
        switch (Operator)
        {
            case NodeSelectorOperator.In:
                return value is not null && Array.IndexOf(_values, value) >= 0;
            case NodeSelectorOperator.NotIn:
                return _values.Length > 0 && (value is null || Array.IndexOf(_values, value) < 0);
            case NodeSelectorOperator.Exists:
                return value is not null && _values.Length == 0;
            case NodeSelectorOperator.DoesNotExist:
                return value is null && _values.Length == 0;
            case NodeSelectorOperator.Gt or NodeSelectorOperator.Lt:
                if (value is null || _bound is not { } bound
                    || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    return false;
                }

                return Operator == NodeSelectorOperator.Gt ? number > bound : number < bound;
            default:
                return false;
        }
    }
}
