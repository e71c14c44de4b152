using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EdgeCloud.Kube.Selectors;

/// <summary>
/// A label selector: requirements that must all hold (k8s.io/apimachinery labels). Parsed from the query string
/// grammar (<c>a=b,c!=d,e in (x,y),f notin (z),g,!h</c>) or built from a metav1.LabelSelector object.
/// </summary>
public sealed partial class LabelSelector
{
    private LabelSelector(IReadOnlyList<LabelRequirement> requirements, bool nothing)
    {
        Requirements = requirements;
        _nothing = nothing;
    }

    private readonly bool _nothing;

    /// <summary>Selects every object.</summary>
    public static LabelSelector Everything { get; } = new([], nothing: false);

    /// <summary>Selects no object (what a null metav1.LabelSelector means).</summary>
    public static LabelSelector Nothing { get; } = new([], nothing: true);

    /// <summary>The requirements, all of which must hold.</summary>
    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>True when every object matches.</summary>
    public bool IsEverything => !_nothing && Requirements.Count == 0;

    /// <summary>Whether <paramref name="labels"/> satisfy every requirement.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels) => !_nothing && Requirements.All(r => r.Matches(labels));

    /// <summary>Whether an object whose metadata.labels is <paramref name="labels"/> matches.</summary>
    public bool Matches(JsonObject? labels) => Matches(ToDictionary(labels));

    /// <summary>The selector in canonical string form.</summary>
    public override string ToString() => string.Join(",", Requirements);

    /// <summary>Parses the query-string grammar; an empty string selects everything.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<LabelRequirement>();
        var reader = new SelectorReader(text);
        while (true)
        {
            requirements.Add(reader.ReadRequirement());
            if (reader.AtEnd)
            {
                break;
            }

            reader.Expect(',');
        }

        return new LabelSelector([.. requirements.OrderBy(static r => r.Key, StringComparer.Ordinal)], nothing: false);
    }

    /// <summary>Converts a metav1.LabelSelector object: null selects nothing, {} selects everything.</summary>
    public static LabelSelector FromObject(JsonObject? selector)
    {
        if (selector is null)
        {
            return Nothing;
        }

        var requirements = new List<LabelRequirement>();
        if (selector["matchLabels"] is JsonObject matchLabels)
        {
            foreach (var (key, value) in matchLabels)
            {
                var text = value?.ToString() ?? "";
                ValidateKey(key);
                ValidateValue(text);
                requirements.Add(new LabelRequirement(key, "=", [text]));
            }
        }

        if (selector["matchExpressions"] is JsonArray expressions)
        {
            foreach (var expression in expressions.OfType<JsonObject>())
            {
                var key = expression["key"]?.ToString() ?? "";
                ValidateKey(key);
                var values = (expression["values"] as JsonArray)?.Select(static v => v?.ToString() ?? "").ToList() ?? [];
                var op = expression["operator"]?.ToString() switch
                {
                    "In" => "in",
                    "NotIn" => "notin",
                    "Exists" => "exists",
                    "DoesNotExist" => "!",
                    var other => throw new SelectorException($"\"{other}\" is not a valid label selector operator"),
                };
                if (op is "in" or "notin" && values.Count == 0)
                {
                    throw new SelectorException($"values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty");
                }

                if (op is "exists" or "!" && values.Count > 0)
                {
                    throw new SelectorException($"values: Invalid value: [{string.Join(",", values)}]: values set must be empty for exists and does not exist");
                }

                values.ForEach(ValidateValue);
                requirements.Add(new LabelRequirement(key, op, [.. values.Distinct().Order(StringComparer.Ordinal)]));
            }
        }

        return new LabelSelector([.. requirements.OrderBy(static r => r.Key, StringComparer.Ordinal)], nothing: false);
    }

    internal static void ValidateKey(string key)
    {
        var slash = key.IndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        var prefix = slash < 0 ? null : key[..slash];
        if (prefix is not null && (prefix.Length is 0 or > 253 || !SubdomainPattern().IsMatch(prefix)))
        {
            throw new SelectorException($"unable to parse requirement: key: Invalid value: \"{key}\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }

        if (name.Length is 0 or > 63 || !NamePattern().IsMatch(name))
        {
            throw new SelectorException($"unable to parse requirement: key: Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') and be at most 63 characters");
        }
    }

    internal static void ValidateValue(string value)
    {
        if (value.Length > 63 || (value.Length > 0 && !NamePattern().IsMatch(value)))
        {
            throw new SelectorException($"unable to parse requirement: values[0][{value}]: Invalid value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?') and be at most 63 characters");
        }
    }

    private static Dictionary<string, string> ToDictionary(JsonObject? labels)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (labels is not null)
        {
            foreach (var (key, value) in labels)
            {
                result[key] = value?.ToString() ?? "";
            }
        }

        return result;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex SubdomainPattern();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex NamePattern();
}
