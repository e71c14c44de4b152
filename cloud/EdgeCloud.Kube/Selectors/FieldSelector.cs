using System.Text;
using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Selectors;

/// <summary>
/// A field selector (k8s.io/apimachinery fields): comma-separated <c>field=value</c>, <c>field==value</c> and
/// <c>field!=value</c> terms, all of which must hold; in values, <c>\,</c>, <c>\=</c> and <c>\\</c> escape.
/// Which fields exist depends on the kind (<see cref="FieldSelectorSupport"/>).
/// </summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<(FieldRequirement Term, Func<JsonObject, string> Read)> _terms;

    private FieldSelector(IReadOnlyList<(FieldRequirement, Func<JsonObject, string>)> terms)
    {
        _terms = terms;
    }

    /// <summary>The terms, all of which must hold.</summary>
    public IReadOnlyList<FieldRequirement> Requirements => [.. _terms.Select(static t => t.Term)];

    /// <summary>Whether <paramref name="obj"/> satisfies every term.</summary>
    public bool Matches(JsonObject obj) =>
        _terms.All(t => (t.Read(obj) == t.Term.Value) == (t.Term.Operator == "="));

    /// <summary>Parses <paramref name="text"/> for objects with the given <paramref name="fields"/>; throws for a syntax error or an unsupported field.</summary>
    public static FieldSelector Parse(string? text, IReadOnlyDictionary<string, Func<JsonObject, string>> fields)
    {
        var terms = new List<(FieldRequirement, Func<JsonObject, string>)>();
        foreach (var part in SplitTerms(text ?? ""))
        {
            var term = ParseTerm(part);
            var read = fields.TryGetValue(term.Field, out var reader) ? reader : throw new SelectorException($"field label not supported: {term.Field}");
            terms.Add((term, read));
        }

        return new FieldSelector(terms);
    }

    private static FieldRequirement ParseTerm(string term)
    {
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = IndexOfUnescaped(term, op);
            if (at > 0)
            {
                return new FieldRequirement(term[..at].Trim(), op == "!=" ? "!=" : "=", Unescape(term[(at + op.Length)..]));
            }
        }

        throw new SelectorException($"invalid selector: '{term}'; can't understand '{term}'");
    }

    private static IEnumerable<string> SplitTerms(string text)
    {
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                current.Append(text[i]).Append(text[++i]);
            }
            else if (text[i] == ',')
            {
                yield return current.ToString();
                current.Clear();
            }
            else
            {
                current.Append(text[i]);
            }
        }

        if (current.Length > 0 || text.Length > 0)
        {
            yield return current.ToString();
        }
    }

    private static int IndexOfUnescaped(string term, string op)
    {
        for (var i = 0; i < term.Length; i++)
        {
            if (term[i] == '\\')
            {
                i++;
                continue;
            }

            if (string.CompareOrdinal(term, i, op, 0, op.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string value)
    {
        var result = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\')
            {
                if (i + 1 >= value.Length || value[i + 1] is not ('\\' or ',' or '='))
                {
                    throw new SelectorException($"invalid field selector value: invalid escape sequence in '{value}'");
                }

                result.Append(value[++i]);
            }
            else if (value[i] is ',' or '=')
            {
                throw new SelectorException($"invalid field selector value: unescaped '{value[i]}' in '{value}'");
            }
            else
            {
                result.Append(value[i]);
            }
        }

        return result.ToString();
    }
}
