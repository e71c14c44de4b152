using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Apply;

/// <summary>
/// Walks JSON values with their schema the way structured-merge-diff walks typed values. Where the schema is
/// missing or says "any", the value's type is deduced as upstream does: objects are granular maps, lists atomic.
/// </summary>
internal static partial class StructuredValue
{
    public static ValueShape ShapeOf(JsonNode? value, SchemaNode? schema) => value switch
    {
        JsonObject when schema is null => ValueShape.Map,
        JsonObject when schema.AtomicMap => ValueShape.Leaf,
        JsonObject when schema.Type is SchemaType.Object or SchemaType.Any => ValueShape.Map,
        JsonArray when schema is { Type: SchemaType.Array, ListType: ListType.Set } => ValueShape.SetList,
        JsonArray when schema is { Type: SchemaType.Array, ListType: ListType.Map, ListMapKeys.Count: > 0 } => ValueShape.MapList,
        _ => ValueShape.Leaf,
    };

    public static SchemaNode? FieldSchema(SchemaNode? schema, string name) =>
        schema is { Type: SchemaType.Object } ? schema.Property(name) : null;

    /// <summary>True for a field the struct declares, as opposed to a key of a map or of an undeclared object.</summary>
    public static bool IsNamedField(SchemaNode? schema, string name) =>
        schema is { Type: SchemaType.Object } && schema.Properties.ContainsKey(name);

    public static SchemaNode? ChildSchema(SchemaNode? schema, PathElement element) =>
        element.Kind == PathElementKind.Field ? FieldSchema(schema, element.FieldName!) : schema?.Items;

    /// <summary>
    /// The element naming a list item. A map-list item missing a key field takes that field's schema default,
    /// as upstream does since defaulted keys (e.g. a container port's protocol) may be left out of apply configs.
    /// </summary>
    public static PathElement ItemElement(JsonNode? item, SchemaNode list, ValueShape shape, int index)
    {
        if (shape == ValueShape.SetList)
        {
            return PathElement.ForValue(item);
        }

        if (item is not JsonObject obj)
        {
            return PathElement.ForIndex(index);
        }

        var fields = new List<KeyValuePair<string, JsonNode?>>();
        foreach (var key in list.ListMapKeys)
        {
            if (obj.TryGetPropertyValue(key, out var value))
            {
                fields.Add(new(key, value));
            }
            else if (list.Items?.Properties.GetValueOrDefault(key)?.Default is { } fallback)
            {
                fields.Add(new(key, fallback));
            }
        }

        return fields.Count == 0 ? PathElement.ForIndex(index) : PathElement.Key(fields);
    }

    /// <summary>The items of a granular list by element, in order; a repeated element keeps its first item.</summary>
    public static List<KeyValuePair<PathElement, JsonNode?>> Index(JsonArray? list, SchemaNode? schema, ValueShape shape)
    {
        var result = new List<KeyValuePair<PathElement, JsonNode?>>();
        if (list is null || schema is null)
        {
            return result;
        }

        var seen = new HashSet<PathElement>();
        for (var i = 0; i < list.Count; i++)
        {
            var element = ItemElement(list[i], schema, shape, i);
            if (seen.Add(element))
            {
                result.Add(new(element, list[i]));
            }
        }

        return result;
    }

    /// <summary>
    /// The fields a value sets, as upstream's ToFieldSet: leaves and list items are members; a map entry is a
    /// member when it is null, an empty object, or not a declared field; a declared struct field holding a
    /// non-empty object is only a prefix of the paths below it.
    /// </summary>
    public static FieldSet ToFieldSet(JsonNode? value, SchemaNode? schema)
    {
        var set = new FieldSet();
        Collect(set, FieldPath.Root, value, schema);
        return set;
    }

    private static void Collect(FieldSet set, FieldPath path, JsonNode? value, SchemaNode? schema)
    {
        var shape = ShapeOf(value, schema);
        switch (shape)
        {
            case ValueShape.Map:
                foreach (var (name, child) in (JsonObject)value!)
                {
                    var childPath = path.Append(PathElement.Field(name));
                    Collect(set, childPath, child, FieldSchema(schema, name));
                    if (child is null || child is JsonObject { Count: 0 } || !IsNamedField(schema, name))
                    {
                        set.Insert(childPath);
                    }
                }

                break;
            case ValueShape.SetList or ValueShape.MapList:
                foreach (var (element, item) in Index((JsonArray)value!, schema, shape))
                {
                    var itemPath = path.Append(element);
                    Collect(set, itemPath, item, schema!.Items);
                    set.Insert(itemPath);
                }

                break;
            default:
                set.Insert(path);
                break;
        }
    }

    /// <summary>
    /// <paramref name="set"/> with every declared struct field that has paths below it made a member too, as
    /// upstream's EnsureNamedFieldsAreMembers: pruning treats a struct field as owned when anything in it is.
    /// </summary>
    public static FieldSet EnsureNamedFieldsAreMembers(FieldSet set, SchemaNode? schema)
    {
        var result = new FieldSet();
        foreach (var path in set.Paths.Where(path => path.Count > 0))
        {
            result.Insert(path);
        }

        AddNamedFields(result, schema);
        return result;
    }

    private static void AddNamedFields(FieldSet level, SchemaNode? schema)
    {
        foreach (var (element, child) in level.Children.ToList())
        {
            if (element.Kind == PathElementKind.Field && !(schema?.AtomicMap ?? false) && IsNamedField(schema, element.FieldName!) && !child.IsEmpty)
            {
                level.AddMember(element);
            }

            AddNamedFields(child, ChildSchema(schema, element));
        }
    }

    /// <summary>
    /// A copy of <paramref name="value"/> without the members of <paramref name="remove"/> (each with all below
    /// it). A container emptied this way stays as an empty container, as current structured-merge-diff keeps it.
    /// </summary>
    public static JsonNode? RemoveItems(JsonNode? value, FieldSet remove, SchemaNode? schema)
    {
        var shape = ShapeOf(value, schema);
        switch (shape)
        {
            case ValueShape.Map:
                var obj = new JsonObject();
                foreach (var (name, child) in (JsonObject)value!)
                {
                    var element = PathElement.Field(name);
                    if (remove.HasMember(element))
                    {
                        continue;
                    }

                    var below = remove.WithPrefix(element);
                    obj[name] = below.IsEmpty ? child?.DeepClone() : RemoveItems(child, below, FieldSchema(schema, name));
                }

                return obj;
            case ValueShape.SetList or ValueShape.MapList:
                var list = new JsonArray();
                var array = (JsonArray)value!;
                for (var i = 0; i < array.Count; i++)
                {
                    var element = ItemElement(array[i], schema!, shape, i);
                    if (remove.HasMember(element))
                    {
                        continue;
                    }

                    var below = remove.WithPrefix(element);
                    list.Add(below.IsEmpty ? array[i]?.DeepClone() : RemoveItems(array[i], below, schema!.Items));
                }

                return list;
            default:
                return value?.DeepClone();
        }
    }
}
