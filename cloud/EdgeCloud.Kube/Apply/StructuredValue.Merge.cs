using System.Text.Json.Nodes;
using EdgeCloud.Kube.Patching;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Apply;

internal static partial class StructuredValue
{
    /// <summary>
    /// <paramref name="config"/> merged into <paramref name="live"/>, as upstream's TypedValue.Merge: maps merge
    /// entry by entry, set and map lists item by item (an item in both merged recursively), everything else
    /// (scalars, atomic lists and maps) is taken from the config.
    /// </summary>
    public static JsonNode? Merge(JsonNode? live, JsonNode? config, SchemaNode? schema)
    {
        var liveShape = ShapeOf(live, schema);
        var configShape = ShapeOf(config, schema);
        if (live is null || liveShape != configShape)
        {
            return config?.DeepClone();
        }

        switch (configShape)
        {
            case ValueShape.Map:
                var merged = (JsonObject)live.DeepClone();
                foreach (var (name, child) in (JsonObject)config!)
                {
                    merged[name] = merged.TryGetPropertyValue(name, out var existing)
                        ? Merge(existing, child, FieldSchema(schema, name))
                        : child?.DeepClone();
                }

                return merged;
            case ValueShape.SetList or ValueShape.MapList:
                return MergeLists((JsonArray)live, (JsonArray)config!, schema!, configShape);
            default:
                return config?.DeepClone();
        }
    }

    /// <summary>
    /// Merges two granular lists keeping both orders as far as they agree, as upstream's mergingWalker does: items
    /// only in the live list stay where they were, items in both follow the config's order, and new items go
    /// after the config item they follow.
    /// </summary>
    private static JsonArray MergeLists(JsonArray live, JsonArray config, SchemaNode schema, ValueShape shape)
    {
        var lhs = Index(live, schema, shape);
        var rhs = Index(config, schema, shape);
        var observedLhs = lhs.ToDictionary(pair => pair.Key, pair => pair.Value);
        var observedRhs = rhs.ToDictionary(pair => pair.Key, pair => pair.Value);
        var shared = new Queue<PathElement>(rhs.Select(pair => pair.Key).Where(observedLhs.ContainsKey));
        var nextShared = shared.Count > 0 ? shared.Dequeue() : null;
        var merged = new HashSet<PathElement>();
        var output = new JsonArray();

        void Advance(PathElement element)
        {
            if (nextShared is not null && nextShared.Equals(element))
            {
                nextShared = shared.Count > 0 ? shared.Dequeue() : null;
            }
        }

        int l = 0, r = 0;
        while (l < lhs.Count || r < rhs.Count)
        {
            if (l < lhs.Count && r < rhs.Count)
            {
                var element = lhs[l].Key;
                if (element.Equals(rhs[r].Key))
                {
                    merged.Add(element);
                    output.Add(Merge(lhs[l].Value, rhs[r].Value, schema.Items));
                    l++;
                    r++;
                    Advance(element);
                    continue;
                }

                if (observedRhs.ContainsKey(element) && nextShared is not null && !nextShared.Equals(element))
                {
                    // A shared item whose turn in the config's order has not come yet.
                    l++;
                    continue;
                }
            }

            if (l < lhs.Count)
            {
                var element = lhs[l].Key;
                if (!observedRhs.ContainsKey(element))
                {
                    output.Add(lhs[l].Value?.DeepClone());
                    l++;
                    continue;
                }

                if (merged.Contains(element))
                {
                    l++;
                    continue;
                }
            }

            if (r < rhs.Count)
            {
                var element = rhs[r].Key;
                merged.Add(element);
                output.Add(Merge(observedLhs.GetValueOrDefault(element), rhs[r].Value, schema.Items));
                r++;
                Advance(element);
            }
        }

        return output;
    }

    /// <summary>Structural equality, numbers by value.</summary>
    public static bool Equal(JsonNode? left, JsonNode? right) => JsonValues.Equal(left, right);
}
