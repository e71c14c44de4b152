using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Schema;

/// <summary>Short constructors for declaring kinds in code: <c>Schemas.Object(("name", Schemas.String("...")))</c>.</summary>
public static class Schemas
{
    /// <summary>A string.</summary>
    public static SchemaNode String(string? description = null) => new() { Type = SchemaType.String, Description = description };

    /// <summary>A string restricted to <paramref name="values"/>.</summary>
    public static SchemaNode Enum(string? description, params string[] values) =>
        new() { Type = SchemaType.String, Description = description, Enum = values };

    /// <summary>A 32-bit integer.</summary>
    public static SchemaNode Int32(string? description = null) => new() { Type = SchemaType.Integer, Format = "int32", Description = description };

    /// <summary>A 64-bit integer.</summary>
    public static SchemaNode Int64(string? description = null) => new() { Type = SchemaType.Integer, Format = "int64", Description = description };

    /// <summary>A floating-point number.</summary>
    public static SchemaNode Number(string? description = null) => new() { Type = SchemaType.Number, Format = "double", Description = description };

    /// <summary>true or false.</summary>
    public static SchemaNode Boolean(string? description = null) => new() { Type = SchemaType.Boolean, Description = description };

    /// <summary>An RFC 3339 time (metav1.Time).</summary>
    public static SchemaNode DateTime(string? description = null) => new() { Type = SchemaType.String, Format = "date-time", Description = description };

    /// <summary>Base64-encoded bytes.</summary>
    public static SchemaNode Bytes(string? description = null) => new() { Type = SchemaType.String, Format = "byte", Description = description };

    /// <summary>An integer or a string.</summary>
    public static SchemaNode IntOrString(string? description = null) => new() { Type = SchemaType.IntOrString, Description = description };

    /// <summary>A resource quantity.</summary>
    public static SchemaNode Quantity(string? description = null) => new() { Type = SchemaType.Quantity, Description = description };

    /// <summary>Any JSON value, kept as sent.</summary>
    public static SchemaNode Any(string? description = null) => new() { Type = SchemaType.Any, Description = description, PreserveUnknownFields = true };

    /// <summary>An object with the given properties, in order.</summary>
    public static SchemaNode Object(string? description, params (string Name, SchemaNode Node)[] properties)
    {
        var ordered = new OrderedDictionary<string, SchemaNode>(StringComparer.Ordinal);
        foreach (var (name, node) in properties)
        {
            ordered.Add(name, node);
        }

        return new SchemaNode { Type = SchemaType.Object, Description = description, Properties = ordered };
    }

    /// <summary>A map from string keys to <paramref name="values"/>.</summary>
    public static SchemaNode MapOf(SchemaNode values, string? description = null) =>
        new() { Type = SchemaType.Object, AdditionalProperties = values, Description = description };

    /// <summary>A map from strings to strings (labels, annotations, data).</summary>
    public static SchemaNode StringMap(string? description = null) => MapOf(String(), description);

    /// <summary>An atomic list of <paramref name="items"/> (replaced as a whole).</summary>
    public static SchemaNode ListOf(SchemaNode items, string? description = null) =>
        new() { Type = SchemaType.Array, Items = items, Description = description };

    /// <summary>A list of objects identified by <paramref name="key"/>: merged by key in patches and apply.</summary>
    public static SchemaNode KeyedList(SchemaNode items, string key, string? description = null) =>
        ListOf(items, description) with { ListType = ListType.Map, ListMapKeys = [key], PatchStrategy = "merge", PatchMergeKey = key };

    /// <summary>A list of unique scalars, merged as a set.</summary>
    public static SchemaNode SetOf(SchemaNode items, string? description = null) =>
        ListOf(items, description) with { ListType = ListType.Set, PatchStrategy = "merge" };

    /// <summary>Marks <paramref name="names"/> required.</summary>
    public static SchemaNode Require(this SchemaNode node, params string[] names) =>
        node with { Required = new HashSet<string>(node.Required.Concat(names), StringComparer.Ordinal) };

    /// <summary>Sets the default value.</summary>
    public static SchemaNode WithDefault(this SchemaNode node, JsonNode value) => node with { Default = value };

    /// <summary>Sets the description.</summary>
    public static SchemaNode Describe(this SchemaNode node, string description) => node with { Description = description };

    /// <summary>Adds or replaces properties of an object schema, keeping the order of the existing ones.</summary>
    public static SchemaNode With(this SchemaNode node, params (string Name, SchemaNode Node)[] properties)
    {
        var ordered = new OrderedDictionary<string, SchemaNode>(node.Properties, StringComparer.Ordinal);
        foreach (var (name, child) in properties)
        {
            ordered[name] = child;
        }

        return node with { Properties = ordered };
    }
}
