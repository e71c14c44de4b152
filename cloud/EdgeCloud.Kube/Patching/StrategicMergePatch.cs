using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Patching;

/// <summary>
/// Strategic merge patch (Kubernetes "strategic-merge-patch.md"), driven by the kind's schema: maps merge and
/// null deletes; lists whose patch strategy is "merge" merge items by their merge key (primitive lists as sets);
/// other lists are replaced. Directives: <c>$patch</c> (replace, delete, merge), <c>$retainKeys</c>,
/// <c>$setElementOrder/field</c> and <c>$deleteFromPrimitiveList/field</c>. Where the schema knows nothing
/// (unknown fields, preserve-unknown-fields) the subtree merges as a JSON merge patch, as upstream does.
/// </summary>
public static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    /// <summary>The result of applying <paramref name="patch"/> to <paramref name="original"/>; neither is modified.</summary>
    public static JsonObject Apply(JsonObject original, JsonObject patch, SchemaNode schema) =>
        MergeObject(original.DeepClone().AsObject(), patch, schema) ?? [];

    private static JsonObject? MergeObject(JsonObject target, JsonObject patch, SchemaNode? schema)
    {
        switch (patch[PatchDirective]?.ToString())
        {
            case null or "merge":
                break;
            case "replace":
                return StripDirectives(patch);
            case "delete":
                return null;
            case var other:
                throw new PatchException($"Unknown patch type: {other} in map", malformed: true);
        }

        var orders = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                orders[key[SetElementOrderPrefix.Length..]] = value as JsonArray ?? throw new PatchException($"{key} must be a list", malformed: true);
                continue;
            }

            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrimitiveListPrefix.Length..];
                if (target[field] is JsonArray list && value is JsonArray remove)
                {
                    foreach (var item in list.Where(i => remove.Any(r => JsonNode.DeepEquals(r, i))).ToList())
                    {
                        list.Remove(item);
                    }
                }

                continue;
            }

            if (key is PatchDirective or RetainKeysDirective)
            {
                continue;
            }

            if (key.StartsWith('$'))
            {
                throw new PatchException($"unknown patch directive \"{key}\"", malformed: true);
            }

            if (value is null)
            {
                target.Remove(key);
                continue;
            }

            var child = schema?.Property(key);
            var merged = MergeValue(target[key], value, child);
            if (merged is null)
            {
                target.Remove(key);
            }
            else
            {
                target[key] = merged;
            }
        }

        foreach (var (field, order) in orders)
        {
            if (target[field] is JsonArray list)
            {
                target[field] = Reorder(list, order, schema?.Property(field)?.PatchMergeKey);
            }
        }

        if (patch[RetainKeysDirective] is JsonArray retain)
        {
            var keep = retain.Select(static k => k?.ToString()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in target.Select(static p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                target.Remove(key);
            }
        }

        return target;
    }

    private static JsonNode? MergeValue(JsonNode? current, JsonNode patch, SchemaNode? schema)
    {
        if (schema is null || schema.Type == SchemaType.Any || (schema.PreserveUnknownFields && schema.Properties.Count == 0 && schema.AdditionalProperties is null))
        {
            return MergePatch.Apply(current, patch);
        }

        switch (patch)
        {
            case JsonObject patchObject when schema.Type == SchemaType.Object && !schema.AtomicMap:
                return MergeObject(current as JsonObject ?? [], patchObject, schema);
            case JsonArray patchArray when schema.Type == SchemaType.Array && (schema.PatchStrategy?.Contains("merge", StringComparison.Ordinal) ?? false):
                return MergeList(current as JsonArray ?? [], patchArray, schema);
            case JsonObject patchObject:
                return StripDirectives(patchObject);
            default:
                return patch.DeepClone();
        }
    }

    private static JsonArray MergeList(JsonArray current, JsonArray patch, SchemaNode schema)
    {
        if (patch.OfType<JsonObject>().Any(static i => i[PatchDirective]?.ToString() == "replace"))
        {
            return new JsonArray([.. patch.OfType<JsonObject>().Where(static i => i[PatchDirective] is null).Select(static i => (JsonNode)StripDirectives(i))]);
        }

        var result = current.DeepClone().AsArray();
        var key = schema.PatchMergeKey;
        if (key is null)
        {
            // A primitive list with strategy merge is a set: union, keeping first-seen order.
            foreach (var item in patch)
            {
                if (!result.Any(existing => JsonNode.DeepEquals(existing, item)))
                {
                    result.Add(item?.DeepClone());
                }
            }

            return result;
        }

        foreach (var item in patch)
        {
            if (item is not JsonObject patchItem)
            {
                throw new PatchException($"list items merged by \"{key}\" must be objects", malformed: false);
            }

            var id = patchItem[key];
            var existing = result.OfType<JsonObject>().FirstOrDefault(e => JsonNode.DeepEquals(e[key], id));
            if (patchItem[PatchDirective]?.ToString() == "delete")
            {
                if (existing is not null)
                {
                    result.Remove(existing);
                }

                continue;
            }

            if (id is null)
            {
                throw new PatchException($"map: {patchItem.ToJsonString()} does not contain declared merge key: {key}", malformed: false);
            }

            if (existing is null)
            {
                result.Add(StripDirectives(patchItem));
                continue;
            }

            var merged = MergeObject(existing.DeepClone().AsObject(), patchItem, schema.Items);
            var index = result.IndexOf(existing);
            result[index] = merged;
        }

        return result;
    }

    /// <summary>
    /// $setElementOrder: the listed items come in the listed order; items not listed keep their place after
    /// them (upstream places server-only items relative to their neighbours; this keeps them in order at the end).
    /// </summary>
    private static JsonArray Reorder(JsonArray list, JsonArray order, string? mergeKey)
    {
        JsonNode? Id(JsonNode? item) => mergeKey is null ? item : (item as JsonObject)?[mergeKey];
        var ordered = new List<JsonNode?>();
        var remaining = list.Select(static i => i?.DeepClone()).ToList();
        foreach (var wanted in order)
        {
            var id = mergeKey is null ? wanted : (wanted as JsonObject)?[mergeKey];
            var match = remaining.FirstOrDefault(i => JsonNode.DeepEquals(Id(i), id));
            if (match is not null)
            {
                ordered.Add(match);
                remaining.Remove(match);
            }
        }

        ordered.AddRange(remaining);
        return new JsonArray([.. ordered]);
    }

    private static JsonObject StripDirectives(JsonObject obj)
    {
        var result = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (!key.StartsWith('$'))
            {
                result[key] = value?.DeepClone();
            }
        }

        return result;
    }
}
