using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Apply;

/// <summary>
/// One step of a <see cref="FieldPath"/>. Identity is the canonical fieldsV1 key (<see cref="FieldsV1Key"/>), so
/// two list items with the same key fields are the same element whatever the order or spelling of their JSON.
/// </summary>
public sealed class PathElement : IEquatable<PathElement>, IComparable<PathElement>
{
    private PathElement(PathElementKind kind, string fieldsV1Key, string display)
    {
        Kind = kind;
        FieldsV1Key = fieldsV1Key;
        _display = display;
    }

    private readonly string _display;

    /// <summary>What the element selects.</summary>
    public PathElementKind Kind { get; }

    /// <summary>The key of this element in a fieldsV1 trie, e.g. <c>f:spec</c> or <c>k:{"name":"web"}</c>.</summary>
    public string FieldsV1Key { get; }

    /// <summary>The field name of a <see cref="PathElementKind.Field"/> element, otherwise null.</summary>
    public string? FieldName => Kind == PathElementKind.Field ? FieldsV1Key[2..] : null;

    /// <summary>A struct field or map key.</summary>
    public static PathElement Field(string name) => new(PathElementKind.Field, "f:" + name, "." + name);

    /// <summary>
    /// A map-list item identified by <paramref name="keyFields"/>. Key fields are sorted by name, as upstream
    /// sorts a key's field list before serializing it.
    /// </summary>
    public static PathElement Key(IEnumerable<KeyValuePair<string, JsonNode?>> keyFields)
    {
        var sorted = keyFields.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList();
        var json = "{" + string.Join(",", sorted.Select(pair => CanonicalJson.Quote(pair.Key) + ":" + CanonicalJson.Write(pair.Value))) + "}";
        var display = "[" + string.Join(",", sorted.Select(pair => pair.Key + "=" + CanonicalJson.Display(pair.Value))) + "]";
        return new PathElement(PathElementKind.Key, "k:" + json, display);
    }

    /// <summary>A set-list item identified by its value.</summary>
    public static PathElement ForValue(JsonNode? value) =>
        new(PathElementKind.Value, "v:" + CanonicalJson.Write(value), "[=" + CanonicalJson.Display(value) + "]");

    /// <summary>A list item identified by its position.</summary>
    public static PathElement ForIndex(int index) =>
        new(PathElementKind.Index, "i:" + index.ToString(CultureInfo.InvariantCulture), "[" + index.ToString(CultureInfo.InvariantCulture) + "]");

    /// <summary>Parses a fieldsV1 key (<c>f:</c>, <c>k:</c>, <c>v:</c> or <c>i:</c>).</summary>
    /// <exception cref="FormatException">The key has no known prefix or its JSON is invalid.</exception>
    public static PathElement Parse(string fieldsV1Key)
    {
        ArgumentNullException.ThrowIfNull(fieldsV1Key);
        if (fieldsV1Key.Length < 2 || fieldsV1Key[1] != ':')
        {
            throw new FormatException($"unknown path element prefix in {fieldsV1Key}");
        }

        var body = fieldsV1Key[2..];
        switch (fieldsV1Key[0])
        {
            case 'f':
                return Field(body);
            case 'k':
                if (ParseJson(fieldsV1Key, body) is not JsonObject key || key.Count == 0)
                {
                    throw new FormatException($"a key path element must be a non-empty JSON object: {fieldsV1Key}");
                }

                return Key(key.Select(pair => new KeyValuePair<string, JsonNode?>(pair.Key, pair.Value)).ToList());
            case 'v':
                return ForValue(ParseJson(fieldsV1Key, body));
            case 'i':
                if (!int.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    throw new FormatException($"invalid index path element: {fieldsV1Key}");
                }

                return ForIndex(index);
            default:
                throw new FormatException($"unknown path element prefix in {fieldsV1Key}");
        }
    }

    /// <summary>The element as upstream prints it in conflict messages: <c>.image</c>, <c>[name="web"]</c>, <c>[="a"]</c>, <c>[0]</c>.</summary>
    public override string ToString() => _display;

    /// <inheritdoc />
    public bool Equals(PathElement? other) => other is not null && Kind == other.Kind && FieldsV1Key == other.FieldsV1Key;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PathElement);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(FieldsV1Key);

    /// <inheritdoc />
    public int CompareTo(PathElement? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byKind = Kind.CompareTo(other.Kind);
        return byKind != 0 ? byKind : string.CompareOrdinal(FieldsV1Key, other.FieldsV1Key);
    }

    private static JsonNode? ParseJson(string fieldsV1Key, string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FormatException($"invalid JSON in path element {fieldsV1Key}: {e.Message}", e);
        }
    }
}
