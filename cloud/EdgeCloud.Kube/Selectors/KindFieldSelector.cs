using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Selectors;

/// <summary>
/// A field selector checked against one kind's selectable fields (made by <see cref="FieldSelectorSupport.Bind(string, string, FieldSelector)"/>):
/// every field is known, legacy names are already mapped (a Pod's <c>spec.host</c> is <c>spec.nodeName</c>), and
/// objects of that kind can be matched.
/// </summary>
public sealed class KindFieldSelector
{
    private readonly IReadOnlyDictionary<string, Func<JsonObject, string>> _fields;

    internal KindFieldSelector(FieldSelector selector, IReadOnlyDictionary<string, Func<JsonObject, string>> fields)
    {
        Selector = selector;
        _fields = fields;
    }

    /// <summary>The selector, with field names as the kind knows them.</summary>
    public FieldSelector Selector { get; }

    /// <summary>True when the selector has no terms.</summary>
    public bool IsEverything => Selector.IsEverything;

    /// <summary>True when <paramref name="obj"/> (a whole object of the kind) is selected.</summary>
    public bool Matches(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return Selector.Matches(field => _fields.TryGetValue(field, out var read) ? read(obj) : "");
    }

    /// <inheritdoc cref="FieldSelector.ToString"/>
    public override string ToString() => Selector.ToString();
}
