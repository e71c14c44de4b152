using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Apply;

/// <summary>
/// What changed between two versions of an object, as upstream's typed Comparison: leaves that appeared, changed
/// or disappeared, plus each struct, map, list item or granular list that appeared or disappeared as a whole.
/// </summary>
public sealed record FieldComparison
{
    /// <summary>Paths present only in the new object.</summary>
    public required FieldSet Added { get; init; }

    /// <summary>Leaves present in both objects with different values.</summary>
    public required FieldSet Modified { get; init; }

    /// <summary>Paths present only in the old object.</summary>
    public required FieldSet Removed { get; init; }

    /// <summary>True when nothing changed.</summary>
    public bool IsSame => Added.IsEmpty && Modified.IsEmpty && Removed.IsEmpty;

    /// <summary>Added, modified and removed paths together.</summary>
    public FieldSet Changed => Added.Union(Modified).Union(Removed);

    /// <summary>
    /// Compares <paramref name="before"/> (null: nothing) with <paramref name="after"/> under
    /// <paramref name="schema"/>. Two empty or absent maps or lists compare as leaves, so a change between
    /// <c>{}</c>, <c>null</c> and absent is seen, as upstream does to keep that distinction.
    /// </summary>
    public static FieldComparison Of(JsonNode? before, JsonNode? after, SchemaNode? schema)
    {
        var comparison = new FieldComparison { Added = new FieldSet(), Modified = new FieldSet(), Removed = new FieldSet() };
        comparison.Walk(FieldPath.Root, before, before is not null, after, after is not null, schema);
        return comparison;
    }

    /// <summary>The comparison without the paths in or below <paramref name="ignored"/>.</summary>
    public FieldComparison Without(FieldSet ignored)
    {
        ArgumentNullException.ThrowIfNull(ignored);
        return new FieldComparison
        {
            Added = Added.RecursiveDifference(ignored),
            Modified = Modified.RecursiveDifference(ignored),
            Removed = Removed.RecursiveDifference(ignored),
        };
    }

    private void Walk(FieldPath path, JsonNode? lhs, bool hasLhs, JsonNode? rhs, bool hasRhs, SchemaNode? schema)
    {
        var lhsShape = hasLhs ? StructuredValue.ShapeOf(lhs, schema) : (ValueShape?)null;
        var rhsShape = hasRhs ? StructuredValue.ShapeOf(rhs, schema) : (ValueShape?)null;
        var shape = (lhsShape ?? rhsShape) == (rhsShape ?? lhsShape) ? lhsShape ?? rhsShape : ValueShape.Leaf;

        if (shape is not ValueShape.Leaf && IsEmptyContainer(lhs) && IsEmptyContainer(rhs))
        {
            shape = ValueShape.Leaf;
        }

        switch (shape)
        {
            case ValueShape.Map:
                var lhsMap = lhs as JsonObject;
                var rhsMap = rhs as JsonObject;
                var names = new List<string>();
                names.AddRange(lhsMap?.Select(pair => pair.Key) ?? []);
                names.AddRange(rhsMap?.Select(pair => pair.Key).Where(name => lhsMap is null || !lhsMap.ContainsKey(name)) ?? []);
                foreach (var name in names)
                {
                    JsonNode? l = null, r = null;
                    var hasL = lhsMap?.TryGetPropertyValue(name, out l) ?? false;
                    var hasR = rhsMap?.TryGetPropertyValue(name, out r) ?? false;
                    Walk(path.Append(PathElement.Field(name)), l, hasL, r, hasR, StructuredValue.FieldSchema(schema, name));
                }

                break;
            case ValueShape.SetList or ValueShape.MapList:
                var lhsItems = StructuredValue.Index(lhs as JsonArray, schema, shape.Value);
                var rhsItems = StructuredValue.Index(rhs as JsonArray, schema, shape.Value).ToDictionary(pair => pair.Key, pair => pair.Value);
                var seen = new HashSet<PathElement>();
                foreach (var (element, item) in lhsItems)
                {
                    seen.Add(element);
                    var hasR = rhsItems.TryGetValue(element, out var other);
                    Walk(path.Append(element), item, true, other, hasR, schema!.Items);
                }

                foreach (var (element, item) in StructuredValue.Index(rhs as JsonArray, schema, shape.Value).Where(pair => !seen.Contains(pair.Key)))
                {
                    Walk(path.Append(element), null, false, item, true, schema!.Items);
                }

                break;
            default:
                if (!hasLhs)
                {
                    Added.Insert(path);
                }
                else if (!hasRhs)
                {
                    Removed.Insert(path);
                }
                else if (!StructuredValue.Equal(lhs, rhs))
                {
                    Modified.Insert(path);
                }

                return;
        }

        // A container that appears or disappears as a whole is itself added or removed, which is what gives an
        // updater's entry the ".": {} of a map or list item it created.
        if (!hasLhs)
        {
            Added.Insert(path);
        }
        else if (!hasRhs)
        {
            Removed.Insert(path);
        }
    }

    private static bool IsEmptyContainer(JsonNode? node) => node switch
    {
        null => true,
        JsonObject obj => obj.Count == 0,
        JsonArray array => array.Count == 0,
        _ => false,
    };
}
