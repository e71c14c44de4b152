using System.Globalization;
using System.Text;

namespace EdgeCloud.Kube.Selectors;

/// <summary>
/// One requirement of a label selector: a key, an operator and its values (labels.Requirement). Values are held
/// sorted and without duplicates, so two requirements that select the same objects compare and print equal.
/// </summary>
public sealed record LabelRequirement
{
    private LabelRequirement(string key, SelectorOperator @operator, IReadOnlyList<string> values)
    {
        Key = key;
        Operator = @operator;
        Values = values;
    }

    /// <summary>The label key, e.g. <c>app.kubernetes.io/name</c>.</summary>
    public string Key { get; }

    /// <summary>How the label's value is compared.</summary>
    public SelectorOperator Operator { get; }

    /// <summary>Values, sorted ordinally: one for equality and gt/lt, one or more for in/notin, none for exists/!exists.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>
    /// Creates a requirement with the checks of labels.NewRequirement: a valid key, valid values, and the number of
    /// values the operator takes (in/notin at least one, equality and gt/lt exactly one, exists/!exists none).
    /// </summary>
    /// <exception cref="SelectorException">The requirement is invalid; the message is kube-apiserver's.</exception>
    public static LabelRequirement Create(string key, SelectorOperator @operator, IEnumerable<string>? values = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var given = values?.ToList() ?? [];
        var errors = new List<string>();
        var keyErrors = LabelValidation.KeyErrors(key);
        if (keyErrors.Count > 0)
        {
            errors.Add(Invalid("key", key, keyErrors));
        }

        switch (@operator)
        {
            case SelectorOperator.In or SelectorOperator.NotIn when given.Count == 0:
                errors.Add($"values: Invalid value: {GoStrings(given)}: for 'in', 'notin' operators, values set can't be empty");
                break;
            case SelectorOperator.Equals or SelectorOperator.DoubleEquals or SelectorOperator.NotEquals when given.Count != 1:
                errors.Add($"values: Invalid value: {GoStrings(given)}: exact-match compatibility requires one single value");
                break;
            case SelectorOperator.Exists or SelectorOperator.DoesNotExist when given.Count != 0:
                errors.Add($"values: Invalid value: {GoStrings(given)}: values set must be empty for exists and does not exist");
                break;
            case SelectorOperator.GreaterThan or SelectorOperator.LessThan:
                if (given.Count != 1)
                {
                    errors.Add($"values: Invalid value: {GoStrings(given)}: for 'Gt', 'Lt' operators, exactly one value is required");
                }

                for (var i = 0; i < given.Count; i++)
                {
                    if (!TryParseInteger(given[i], out _))
                    {
                        errors.Add($"values[{i}]: Invalid value: {GoString(given[i])}: for 'Gt', 'Lt' operators, the value must be an integer");
                    }
                }

                break;
            case SelectorOperator.Equals or SelectorOperator.DoubleEquals or SelectorOperator.NotEquals
                or SelectorOperator.In or SelectorOperator.NotIn or SelectorOperator.Exists or SelectorOperator.DoesNotExist:
                break;
            default:
                errors.Add($"operator: Unsupported value: \"{@operator}\"");
                break;
        }

        for (var i = 0; i < given.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(given[i], nameof(values));
            var valueErrors = LabelValidation.ValueErrors(given[i]);
            if (valueErrors.Count > 0)
            {
                errors.Add(Invalid($"values[{i}][{key}]", given[i], valueErrors));
            }
        }

        if (errors.Count > 0)
        {
            throw new SelectorException(Aggregate(errors));
        }

        var sorted = given.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return new LabelRequirement(key, @operator, sorted);
    }

    /// <summary>True when labels given by <paramref name="lookup"/> (null for an absent key) satisfy this requirement.</summary>
    internal bool Matches(Func<string, string?> lookup)
    {
        var value = lookup(Key);
        switch (Operator)
        {
            case SelectorOperator.Equals or SelectorOperator.DoubleEquals or SelectorOperator.In:
                return value is not null && Contains(value);

            // labels.Requirement.Matches: a missing key satisfies != and notin, which is how
            // `kubectl get pods -l 'env!=prod'` also lists pods without an env label.
            case SelectorOperator.NotEquals or SelectorOperator.NotIn:
                return value is null || !Contains(value);
            case SelectorOperator.Exists:
                return value is not null;
            case SelectorOperator.DoesNotExist:
                return value is null;
            case SelectorOperator.GreaterThan or SelectorOperator.LessThan:
                // A label that is not an integer never matches gt/lt, as upstream (which only logs it).
                if (value is null || !TryParseInteger(value, out var actual) || Values.Count != 1 || !TryParseInteger(Values[0], out var bound))
                {
                    return false;
                }

                return Operator == SelectorOperator.GreaterThan ? actual > bound : actual < bound;
            default:
                return false;
        }
    }

    /// <summary>The requirement as kube-apiserver prints it: <c>a=b</c>, <c>a in (x,y)</c>, <c>!a</c>, <c>a&gt;3</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (Operator == SelectorOperator.DoesNotExist)
        {
            text.Append('!');
        }

        text.Append(Key);
        switch (Operator)
        {
            case SelectorOperator.Exists or SelectorOperator.DoesNotExist:
                return text.ToString();
            case SelectorOperator.In:
                return text.Append(" in (").AppendJoin(',', Values).Append(')').ToString();
            case SelectorOperator.NotIn:
                return text.Append(" notin (").AppendJoin(',', Values).Append(')').ToString();
            case SelectorOperator.Equals:
                text.Append('=');
                break;
            case SelectorOperator.DoubleEquals:
                text.Append("==");
                break;
            case SelectorOperator.NotEquals:
                text.Append("!=");
                break;
            case SelectorOperator.GreaterThan:
                text.Append('>');
                break;
            case SelectorOperator.LessThan:
                text.Append('<');
                break;
        }

        return text.AppendJoin(',', Values).ToString();
    }

    /// <inheritdoc/>
    public bool Equals(LabelRequirement? other) =>
        other is not null && Key == other.Key && Operator == other.Operator && Values.SequenceEqual(other.Values, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Key, StringComparer.Ordinal);
        hash.Add(Operator);
        foreach (var value in Values)
        {
            hash.Add(value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    private bool Contains(string value)
    {
        foreach (var candidate in Values)
        {
            if (string.Equals(candidate, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // strconv.ParseInt(s, 10, 64): an optional sign and decimal digits, nothing else.
    private static bool TryParseInteger(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    // field.Invalid renders as "<path>: Invalid value: <value>: <detail>", details joined with "; ".
    internal static string Invalid(string path, string value, IEnumerable<string> details) =>
        $"{path}: Invalid value: {GoString(value)}: {string.Join("; ", details)}";

    // utilerrors.Aggregate prints one error as itself and several as "[a, b]".
    private static string Aggregate(List<string> errors)
    {
        var distinct = errors.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 1 ? distinct[0] : "[" + string.Join(", ", distinct) + "]";
    }

    private static string GoString(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    // Go's %#v of a []string, which field.Invalid uses for the values list.
    private static string GoStrings(List<string> values) =>
        values.Count == 0 ? "[]string(nil)" : "[]string{" + string.Join(", ", values.Select(GoString)) + "}";
}
