using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Selectors;

/// <summary>
/// Which fields each kind can be selected by, and their values: kube-apiserver's field label conversion functions
/// (which fields a request may name) together with each registry's GetAttrs (what the values are). Kinds are keyed
/// by API group and kind, since every served version of a kind supports the same fields. A kind never registered
/// supports <c>metadata.name</c> and <c>metadata.namespace</c> only, as runtime.DefaultMetaV1FieldSelectorConversion.
/// Safe to use from many threads; registering a kind replaces what it had.
/// </summary>
public sealed partial class FieldSelectorSupport
{
    private const string MetadataName = "metadata.name";
    private const string MetadataNamespace = "metadata.namespace";

    private static readonly KindFields DefaultKind = new(
        new Dictionary<string, Func<JsonObject, string>>
        {
            [MetadataName] = obj => ObjectFieldValues.Text(obj, "metadata", "name"),
            [MetadataNamespace] = obj => ObjectFieldValues.Text(obj, "metadata", "namespace"),
        }.ToFrozenDictionary(StringComparer.Ordinal),
        FrozenDictionary<string, string>.Empty,
        field => $"\"{field}\" is not a known field selector: only \"{MetadataName}\", \"{MetadataNamespace}\"");

    private readonly ConcurrentDictionary<(string Group, string Kind), KindFields> _kinds = new();

    /// <summary>A registry that knows no kind yet: every kind supports only metadata.name and metadata.namespace.</summary>
    public FieldSelectorSupport()
    {
    }

    /// <summary>A registry with the fields kube-apiserver supports for its built-in kinds (see <see cref="RegisterBuiltInKinds"/>).</summary>
    public static FieldSelectorSupport CreateDefault()
    {
        var support = new FieldSelectorSupport();
        support.RegisterBuiltInKinds();
        return support;
    }

    /// <summary>
    /// Sets the complete list of fields of a kind (include <c>metadata.name</c> and, for namespaced kinds,
    /// <c>metadata.namespace</c>). Any other field is refused with <c>field label not supported: &lt;field&gt;</c>.
    /// </summary>
    public void Register(string group, string kind, IEnumerable<SelectableField> fields) =>
        Register(group, kind, fields, aliases: null, unsupported: null);

    /// <summary>
    /// Registers a custom resource kind as apiextensions-apiserver serves it: <c>metadata.name</c>, <c>metadata.namespace</c>
    /// when <paramref name="namespaced"/>, and the CRD version's <c>selectableFields</c>, each given by its JSON path
    /// (<c>.spec.color</c>) and selected by that path without the leading dot (<c>spec.color=blue</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A path is not a simple <c>.a.b.c</c> field path.</exception>
    public void RegisterCustomResource(string group, string kind, bool namespaced, IEnumerable<string>? selectableFieldJsonPaths = null)
    {
        var fields = new List<SelectableField> { Field(MetadataName, "metadata", "name") };
        if (namespaced)
        {
            fields.Add(Field(MetadataNamespace, "metadata", "namespace"));
        }

        foreach (var jsonPath in selectableFieldJsonPaths ?? [])
        {
            var segments = ParseJsonPath(jsonPath);
            fields.Add(new SelectableField(string.Join('.', segments), obj => ObjectFieldValues.Any(obj, segments)));
        }

        Register(group, kind, fields);
    }

    /// <summary>Forgets a kind (for a deleted CRD); it falls back to metadata.name and metadata.namespace. True when it was registered.</summary>
    public bool Unregister(string group, string kind) => _kinds.TryRemove((group, kind), out _);

    /// <summary>The field labels the kind supports, sorted (legacy aliases such as a Pod's <c>spec.host</c> not included).</summary>
    public IReadOnlyList<string> SupportedFields(string group, string kind) =>
        [.. Lookup(group, kind).Fields.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// Checks <paramref name="selector"/> against the kind's fields and maps legacy names, so the API can refuse a
    /// request naming an unsupported field with a 400 before it reads anything.
    /// </summary>
    /// <exception cref="SelectorException">A field is not supported by the kind; the message is kube-apiserver's.</exception>
    public KindFieldSelector Bind(string group, string kind, FieldSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var fields = Lookup(group, kind);
        var converted = new List<FieldRequirement>(selector.Requirements.Count);
        foreach (var requirement in selector.Requirements)
        {
            var name = fields.Aliases.TryGetValue(requirement.Field, out var target) ? target : requirement.Field;
            if (!fields.Fields.ContainsKey(name))
            {
                throw new SelectorException(fields.Unsupported(requirement.Field));
            }

            converted.Add(requirement with { Field = name });
        }

        var bound = converted.SequenceEqual(selector.Requirements) ? selector : FieldSelector.FromRequirements(converted);
        return new KindFieldSelector(bound, fields.Fields);
    }

    /// <summary>Parses <paramref name="selector"/> (the <c>?fieldSelector=</c> value) and binds it to the kind.</summary>
    /// <exception cref="SelectorException">The selector is malformed or names a field the kind does not support.</exception>
    public KindFieldSelector Bind(string group, string kind, string selector) => Bind(group, kind, FieldSelector.Parse(selector));

    /// <summary>The values of all the kind's selectable fields for <paramref name="obj"/> (a registry's GetAttrs field set).</summary>
    public IReadOnlyDictionary<string, string> FieldValues(string group, string kind, JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return Lookup(group, kind).Fields.ToDictionary(pair => pair.Key, pair => pair.Value(obj), StringComparer.Ordinal);
    }

    private void Register(
        string group,
        string kind,
        IEnumerable<SelectableField> fields,
        IReadOnlyDictionary<string, string>? aliases,
        Func<string, string>? unsupported)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(fields);
        var byName = new Dictionary<string, Func<JsonObject, string>>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            byName[field.Name] = field.Value;
        }

        _kinds[(group, kind)] = new KindFields(
            byName.ToFrozenDictionary(StringComparer.Ordinal),
            (aliases ?? FrozenDictionary<string, string>.Empty).ToFrozenDictionary(StringComparer.Ordinal),
            unsupported ?? (field => $"field label not supported: {field}"));
    }

    private KindFields Lookup(string group, string kind)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(kind);
        return _kinds.TryGetValue((group, kind), out var fields) ? fields : DefaultKind;
    }

    private static SelectableField Field(string name, params string[] path) => new(name, obj => ObjectFieldValues.Text(obj, path));

    // A CRD selectableFields jsonPath is restricted to field access; we take the dotted form only.
    private static string[] ParseJsonPath(string jsonPath)
    {
        ArgumentNullException.ThrowIfNull(jsonPath);
        var segments = jsonPath.Length > 1 && jsonPath[0] == '.' ? jsonPath[1..].Split('.') : [];
        if (segments.Length == 0 || segments.Any(s => s.Length == 0 || s.AsSpan().IndexOfAny("[]'\"*@$ ") >= 0))
        {
            throw new ArgumentException($"selectable field path '{jsonPath}' must be a simple field path such as '.spec.color'", nameof(jsonPath));
        }

        return segments;
    }

    private sealed record KindFields(
        FrozenDictionary<string, Func<JsonObject, string>> Fields,
        FrozenDictionary<string, string> Aliases,
        Func<string, string> Unsupported);
}
