using System.Text;

namespace EdgeCloud.Kube.Selectors;

/// <summary>
/// A field selector (k8s.io/apimachinery/pkg/fields): comma-separated terms <c>f=v</c>, <c>f==v</c>, <c>f!=v</c> that
/// must all hold. In values, <c>\,</c>, <c>\=</c> and <c>\\</c> stand for the character itself; an unescaped
/// <c>,</c> or <c>=</c> in a value is an error. The empty string selects everything. Which fields a kind supports,
/// and their values, is <see cref="FieldSelectorSupport"/>'s business. Immutable and safe to share between threads.
/// </summary>
public sealed class FieldSelector
{
    private FieldSelector(IReadOnlyList<FieldRequirement> requirements)
    {
        Requirements = requirements;
    }

    /// <summary>The selector that matches every object.</summary>
    public static FieldSelector Everything { get; } = new([]);

    /// <summary>The terms, in the order kube-apiserver keeps them (sorted by their text as written).</summary>
    public IReadOnlyList<FieldRequirement> Requirements { get; }

    /// <summary>True when the selector has no terms.</summary>
    public bool IsEverything => Requirements.Count == 0;

    /// <summary>Parses the <c>?fieldSelector=</c> string form.</summary>
    /// <exception cref="SelectorException">The string is not a valid field selector; the message is kube-apiserver's.</exception>
    public static FieldSelector Parse(string selector)
    {
        ArgumentNullException.ThrowIfNull(selector);

        // fields.parseSelector sorts the raw terms before reading them; kept so Requirements and ToString agree with it.
        var terms = SplitTerms(selector);
        terms.Sort(StringComparer.Ordinal);
        var requirements = new List<FieldRequirement>();
        foreach (var term in terms)
        {
            if (term.Length == 0)
            {
                continue;
            }

            if (!SplitTerm(term, out var field, out var op, out var rawValue))
            {
                throw new SelectorException($"invalid selector: '{selector}'; can't understand '{term}'");
            }

            requirements.Add(new FieldRequirement(field, op, UnescapeValue(rawValue)));
        }

        return requirements.Count == 0 ? Everything : new FieldSelector(requirements);
    }

    /// <summary>A selector of the given terms.</summary>
    public static FieldSelector FromRequirements(IEnumerable<FieldRequirement> requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        var list = requirements.ToArray();
        return list.Length == 0 ? Everything : new FieldSelector(list);
    }

    /// <summary>True when an object whose fields have these values is selected; a field not in the map counts as "".</summary>
    public bool Matches(IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return Matches(field => fields.TryGetValue(field, out var value) ? value : "");
    }

    /// <summary>True when an object whose field values <paramref name="fieldValue"/> gives is selected.</summary>
    public bool Matches(Func<string, string> fieldValue)
    {
        ArgumentNullException.ThrowIfNull(fieldValue);
        foreach (var requirement in Requirements)
        {
            if (!requirement.Matches(fieldValue(requirement.Field)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The value <paramref name="field"/> must equal, when a term pins it (fields.Selector.RequiresExactMatch);
    /// lets the API serve <c>metadata.name=x</c> or <c>spec.nodeName=n</c> from an index.
    /// </summary>
    public bool TryGetExactValue(string field, out string value)
    {
        foreach (var requirement in Requirements)
        {
            if (requirement.Field == field && requirement.Operator != SelectorOperator.NotEquals)
            {
                value = requirement.Value;
                return true;
            }
        }

        value = "";
        return false;
    }

    /// <summary>The canonical string form (terms joined with ",", values escaped); it parses back to an equal selector.</summary>
    public override string ToString() => string.Join(",", Requirements);

    /// <summary>Escapes <c>\</c>, <c>,</c> and <c>=</c> in a value so it can be put in a selector (fields.EscapeValue).</summary>
    public static string EscapeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('\\', ',', '=') < 0)
        {
            return value;
        }

        var text = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            if (c is '\\' or ',' or '=')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.ToString();
    }

    /// <summary>Undoes <see cref="EscapeValue"/> (fields.UnescapeValue).</summary>
    /// <exception cref="SelectorException">
    /// An unknown escape (<c>\x</c>), a trailing <c>\</c>, or an unescaped <c>,</c> or <c>=</c>.
    /// </exception>
    public static string UnescapeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('\\', ',', '=') < 0)
        {
            return value;
        }

        var text = new StringBuilder(value.Length);
        var escaped = false;
        foreach (var c in value)
        {
            if (escaped)
            {
                if (c is not ('\\' or ',' or '='))
                {
                    throw new SelectorException($"invalid field selector: invalid escape sequence: \\{c}");
                }

                text.Append(c);
                escaped = false;
                continue;
            }

            switch (c)
            {
                case '\\':
                    escaped = true;
                    break;

                // Upstream formats the rune with %v, which prints its code point ("61" for '='); kept verbatim.
                case ',' or '=':
                    throw new SelectorException($"invalid field selector: unescaped character in value: {(int)c}");
                default:
                    text.Append(c);
                    break;
            }
        }

        if (escaped)
        {
            throw new SelectorException("invalid field selector: invalid escape sequence: \\");
        }

        return text.ToString();
    }

    // Splits on commas that are not escaped; a backslash escapes whatever follows it.
    private static List<string> SplitTerms(string selector)
    {
        var terms = new List<string>();
        if (selector.Length == 0)
        {
            return terms;
        }

        var start = 0;
        var escaped = false;
        for (var i = 0; i < selector.Length; i++)
        {
            var c = selector[i];
            if (escaped)
            {
                escaped = false;
            }
            else if (c == '\\')
            {
                escaped = true;
            }
            else if (c == ',')
            {
                terms.Add(selector[start..i]);
                start = i + 1;
            }
        }

        terms.Add(selector[start..]);
        return terms;
    }

    // The first operator from the left wins, "!=" and "==" tried before "=" at each position. The field is not
    // trimmed or checked here: "a =b" names the field "a ", which no kind supports.
    private static bool SplitTerm(string term, out string field, out SelectorOperator op, out string value)
    {
        for (var i = 0; i < term.Length; i++)
        {
            var rest = term.AsSpan(i);
            if (rest.StartsWith("!=", StringComparison.Ordinal))
            {
                (field, op, value) = (term[..i], SelectorOperator.NotEquals, term[(i + 2)..]);
                return true;
            }

            if (rest.StartsWith("==", StringComparison.Ordinal))
            {
                (field, op, value) = (term[..i], SelectorOperator.Equals, term[(i + 2)..]);
                return true;
            }

            if (rest[0] == '=')
            {
                (field, op, value) = (term[..i], SelectorOperator.Equals, term[(i + 1)..]);
                return true;
            }
        }

        (field, op, value) = ("", SelectorOperator.Equals, "");
        return false;
    }
}
