using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Selectors;

/// <summary>
/// A label selector: requirements that must all hold (labels.Selector). Built from the string form
/// (<c>?labelSelector=</c>, <see cref="Parse"/>), from a metav1.LabelSelector object (<c>spec.selector</c>,
/// <see cref="FromObject"/>) or from a plain map (a Service's <c>spec.selector</c>, <see cref="FromSet(IReadOnlyDictionary{string, string})"/>).
/// Immutable and safe to share between threads.
/// </summary>
public sealed partial class LabelSelector
{
    private readonly bool _matchesNothing;

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements, bool matchesNothing)
    {
        Requirements = requirements;
        _matchesNothing = matchesNothing;
    }

    /// <summary>The selector that matches every object: the empty string, or an empty <c>{}</c> metav1.LabelSelector.</summary>
    public static LabelSelector Everything { get; } = new([], matchesNothing: false);

    /// <summary>The selector that matches no object: what a null metav1.LabelSelector means (labels.Nothing).</summary>
    public static LabelSelector Nothing { get; } = new([], matchesNothing: true);

    /// <summary>The requirements, sorted by key; all must hold. Empty for <see cref="Everything"/> and <see cref="Nothing"/>.</summary>
    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>True when the selector matches every object, so a list need not look at labels at all.</summary>
    public bool IsEverything => !_matchesNothing && Requirements.Count == 0;

    /// <summary>True for <see cref="Nothing"/>: the selector matches no object.</summary>
    public bool IsNothing => _matchesNothing;

    /// <summary>
    /// Parses the string form kube-apiserver accepts for <c>?labelSelector=</c>: comma-separated requirements
    /// <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>, <c>k&gt;N</c>,
    /// <c>k&lt;N</c>. The empty (or all-whitespace) string selects everything.
    /// </summary>
    /// <exception cref="SelectorException">The string is not a valid selector; the message is kube-apiserver's.</exception>
    public static LabelSelector Parse(string selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var requirements = LabelSelectorParser.Parse(selector);
        return requirements.Count == 0 ? Everything : new LabelSelector(requirements, matchesNothing: false);
    }

    /// <summary>Parses like <see cref="Parse"/>, reporting a bad selector through <paramref name="error"/> instead of throwing.</summary>
    public static bool TryParse(string selector, out LabelSelector result, out string? error)
    {
        try
        {
            result = Parse(selector);
            error = null;
            return true;
        }
        catch (SelectorException e)
        {
            result = Nothing;
            error = e.Message;
            return false;
        }
    }

    /// <summary>A selector of the given requirements (all must hold); none gives <see cref="Everything"/>.</summary>
    public static LabelSelector FromRequirements(IEnumerable<LabelRequirement> requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        var sorted = requirements.OrderBy(r => r.Key, StringComparer.Ordinal).ToArray();
        return sorted.Length == 0 ? Everything : new LabelSelector(sorted, matchesNothing: false);
    }

    /// <summary>True when an object with these labels is selected.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return Matches(key => labels.TryGetValue(key, out var value) ? value : null);
    }

    /// <summary>
    /// True when an object whose <c>metadata.labels</c> is <paramref name="labels"/> is selected. A null node is an
    /// object without labels (which <c>!k</c>, <c>k!=v</c> and <c>k notin (..)</c> still select).
    /// </summary>
    public bool Matches(JsonObject? labels) =>
        Matches(key => labels is not null && labels.TryGetPropertyValue(key, out var node) ? LabelText(node) : null);

    /// <summary>True when <paramref name="obj"/> (a whole Kubernetes object) is selected by its <c>metadata.labels</c>.</summary>
    public bool MatchesObject(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return Matches((obj["metadata"] as JsonObject)?["labels"] as JsonObject);
    }

    /// <summary>
    /// The value <paramref name="key"/> must have, when the selector pins it with <c>=</c>, <c>==</c> or a one-value
    /// <c>in</c> (labels.Selector.RequiresExactMatch); lets a caller use an index instead of scanning.
    /// </summary>
    public bool TryGetExactValue(string key, out string value)
    {
        foreach (var requirement in Requirements)
        {
            if (requirement.Key == key && requirement.Values.Count == 1
                && requirement.Operator is SelectorOperator.Equals or SelectorOperator.DoubleEquals or SelectorOperator.In)
            {
                value = requirement.Values[0];
                return true;
            }
        }

        value = "";
        return false;
    }

    /// <summary>
    /// The canonical string form: requirements sorted by key and joined with ",", values sorted; it parses back to
    /// an equal selector. Empty for <see cref="Everything"/> and, as upstream, for <see cref="Nothing"/> too.
    /// </summary>
    public override string ToString() => string.Join(",", Requirements);

    private bool Matches(Func<string, string?> lookup)
    {
        if (_matchesNothing)
        {
            return false;
        }

        foreach (var requirement in Requirements)
        {
            if (!requirement.Matches(lookup))
            {
                return false;
            }
        }

        return true;
    }

    // Label values are strings once validated; anything else stored is compared by its JSON text.
    private static string LabelText(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
