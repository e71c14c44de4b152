using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Patching;

public static partial class StrategicMergePatch
{
    /// <summary>
    /// Merges a patch list into the object's list. Lists whose strategy is not "merge" are replaced. Merge lists of
    /// objects merge items by the merge key (a patch item new to the list is added), honouring <c>$patch: delete</c>
    /// and <c>$patch: replace</c> items; merge lists of scalars become the union. The result is then ordered as
    /// upstream orders it: patch items keep the patch's order, the object's other items keep theirs, and the two are
    /// interleaved by the object's order (so an item new to the list comes before the object's items that follow it).
    /// </summary>
    private static JsonArray MergeList(JsonArray current, JsonArray patch, SchemaNode? field)
    {
        if (!IsMerge(field))
        {
            return (JsonArray)patch.DeepClone();
        }

        var items = Detach(current);
        if (items.Count == 0 && patch.Count == 0)
        {
            return [];
        }

        var isObjects = ElementKind(items, patch) == JsonValueKind.Object;
        if (!isObjects)
        {
            var union = new List<JsonNode?>();
            foreach (var item in items.Concat(patch.Select(static p => p?.DeepClone())))
            {
                if (!union.Any(u => JsonValues.Equal(u, item)))
                {
                    union.Add(item);
                }
            }

            return Order(union, patch.ToList(), items, mergeKey: null);
        }

        var mergeKey = field!.PatchMergeKey;
        if (string.IsNullOrEmpty(mergeKey))
        {
            throw PatchException.Unprocessable("cannot merge a list of objects without a merge key: the schema declares patch strategy merge but no patch merge key");
        }

        var itemSchema = ObjectSchema(field.Items);
        var regular = new List<JsonObject>();
        var replace = false;
        foreach (var patchItem in patch.Cast<JsonObject>())
        {
            if (!patchItem.TryGetPropertyValue(PatchDirective, out var directive))
            {
                regular.Add(patchItem);
                continue;
            }

            switch (DirectiveValue(directive))
            {
                case "delete":
                    var keyValue = MergeKeyValue(patchItem, mergeKey, "a $patch: delete list item");
                    items.RemoveAll(item => item is JsonObject o && o.TryGetPropertyValue(mergeKey, out var v) && JsonValues.Equal(v, keyValue));
                    break;
                case "replace":
                    // Every other item of this patch list becomes the whole list.
                    replace = true;
                    break;
                case "merge":
                    if (patchItem.Count > 1)
                    {
                        regular.Add(patchItem);
                    }

                    break;
                default:
                    throw PatchException.BadRequest($"unknown patch type: {JsonValues.Render(directive)} in list item: {JsonValues.Render(patchItem)}");
            }
        }

        if (replace)
        {
            var replacement = regular.Select(p => (JsonNode?)MergeObject([], p, itemSchema)).Where(static p => p is not null).ToList();
            return Order(replacement, [], replacement, mergeKey);
        }

        var serverOrder = items.ToList();
        var merged = items;
        foreach (var patchItem in regular)
        {
            var keyValue = MergeKeyValue(patchItem, mergeKey, "a patch list item");
            var at = merged.FindIndex(item => item is JsonObject o && o.TryGetPropertyValue(mergeKey, out var v) && JsonValues.Equal(v, keyValue));
            if (at < 0)
            {
                var added = MergeObject([], patchItem, itemSchema);
                if (added is not null)
                {
                    merged.Add(added);
                }

                continue;
            }

            var result = merged[at] is JsonObject existing ? MergeObject(existing, patchItem, itemSchema) : null;
            if (result is null)
            {
                merged.RemoveAt(at);
            }
            else
            {
                merged[at] = result;
            }
        }

        return Order(merged, regular.Cast<JsonNode?>().ToList(), serverOrder, mergeKey);
    }

    /// <summary>
    /// <c>$setElementOrder/&lt;list&gt;</c>: kubectl apply sends the full order of a merged list beside a patch that
    /// names only changed items, so the list's own items are merged first and then sorted by this order, the object's
    /// items not named keeping their place relative to the object (the preserve-order design in
    /// kubernetes/community, "preserve-order-in-strategic-merge-patch"). Returns the fields it merged, which the main
    /// merge must then skip.
    /// </summary>
    private static HashSet<string> ApplySetElementOrder(JsonObject target, JsonObject patch, SchemaNode? schema)
    {
        var handled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (!key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = key[SetElementOrderPrefix.Length..];
            if (name.Length == 0 || value is not JsonArray order)
            {
                throw PatchException.BadRequest($"invalid patch: {key} must name a list and hold a list, got {JsonValues.Render(value)}");
            }

            var hasPatchList = patch.TryGetPropertyValue(name, out var patchValue);
            if (hasPatchList && patchValue is null)
            {
                continue; // the list is deleted; nothing to order
            }

            if (hasPatchList && patchValue is not JsonArray)
            {
                throw PatchException.BadRequest($"invalid patch: {key} orders \"{name}\", which the patch sets to a non-list {JsonValues.Render(patchValue)}");
            }

            var field = Field(schema, name);
            var mergeKey = string.IsNullOrEmpty(field?.PatchMergeKey) ? null : field.PatchMergeKey;
            var patchList = patchValue as JsonArray;
            var currentList = target[name] as JsonArray;
            ValidateOrder(patchList ?? [], order, mergeKey, key);

            if (currentList is null && patchList is null)
            {
                continue;
            }

            var serverOrder = currentList?.ToList() ?? [];
            var merged = (currentList, patchList) switch
            {
                ({ } c, { } p) => MergeList(c, p, field),
                ({ } c, null) => new JsonArray([.. Detach(c)]),
                _ => MergeList([], patchList!, field),
            };

            target[name] = Order(Detach(merged), order.ToList(), serverOrder, mergeKey);
            handled.Add(name);
        }

        return handled;
    }

    /// <summary>
    /// Upstream's ordering of a merged list: items named in <paramref name="patchOrder"/> sorted by it, the others
    /// sorted by <paramref name="serverOrder"/>, then interleaved: at each step the object's next item comes first
    /// only when both it and the patch's next item are in the object and it came first there.
    /// </summary>
    private static JsonArray Order(List<JsonNode?> merged, List<JsonNode?> patchOrder, List<JsonNode?> serverOrder, string? mergeKey)
    {
        var fromPatch = new List<JsonNode?>();
        var serverOnly = new List<JsonNode?>();
        foreach (var item in merged)
        {
            if (mergeKey is not null)
            {
                MergeKeyValue(item as JsonObject, mergeKey, "a list item");
            }

            (IndexOf(patchOrder, item, mergeKey) >= 0 ? fromPatch : serverOnly).Add(item);
        }

        var right = fromPatch.OrderBy(item => IndexOf(patchOrder, item, mergeKey)).ToList();
        var left = serverOnly.OrderBy(item => IndexOf(serverOrder, item, mergeKey)).ToList();
        var result = new JsonArray();
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            bool takeLeft;
            if (j >= right.Count)
            {
                takeLeft = true;
            }
            else if (i >= left.Count)
            {
                takeLeft = false;
            }
            else
            {
                var li = IndexOf(serverOrder, left[i], mergeKey);
                var ri = IndexOf(serverOrder, right[j], mergeKey);
                takeLeft = li >= 0 && ri >= 0 && li < ri;
            }

            result.Add(takeLeft ? left[i++] : right[j++]);
        }

        return result;
    }

    /// <summary>
    /// The patch list's items must appear in the <c>$setElementOrder</c> list in the same relative order (deleted
    /// items and directive items aside); upstream refuses a patch whose two lists disagree.
    /// </summary>
    private static void ValidateOrder(JsonArray patchList, JsonArray order, string? mergeKey, string directive)
    {
        if (mergeKey is not null)
        {
            foreach (var item in order)
            {
                MergeKeyValue(item as JsonObject, mergeKey, $"a {directive} item", badRequest: true);
            }
        }

        var items = patchList.Where(static p => p is not JsonObject o || !o.ContainsKey(PatchDirective)).ToList();
        int p = 0, o = 0;
        while (p < items.Count && o < order.Count)
        {
            var matches = mergeKey is null
                ? JsonValues.Equal(items[p], order[o])
                : JsonValues.Equal(MergeKeyValue(items[p] as JsonObject, mergeKey, "a patch list item"), ((JsonObject)order[o]!)[mergeKey]);
            if (matches)
            {
                p++;
            }

            o++;
        }

        if (p < items.Count)
        {
            throw PatchException.BadRequest($"the order in patch list {JsonValues.Render(patchList)} doesn't match {directive} list {JsonValues.Render(order)}");
        }
    }

    private static int IndexOf(List<JsonNode?> list, JsonNode? item, string? mergeKey)
    {
        var identity = mergeKey is null ? item : (item as JsonObject)?[mergeKey];
        for (var i = 0; i < list.Count; i++)
        {
            var candidate = mergeKey is null ? list[i] : (list[i] as JsonObject)?[mergeKey];
            if (JsonValues.Equal(candidate, identity))
            {
                return i;
            }
        }

        return -1;
    }

    private static JsonNode? MergeKeyValue(JsonObject? item, string mergeKey, string what, bool badRequest = false)
    {
        if (item is not null && item.TryGetPropertyValue(mergeKey, out var value))
        {
            return value;
        }

        var message = $"{what} {JsonValues.Render(item)} does not contain declared merge key: {mergeKey}";
        throw badRequest ? PatchException.BadRequest(message) : PatchException.Unprocessable(message);
    }

    /// <summary>The one JSON type all items of both lists share; upstream refuses lists of lists and mixed lists.</summary>
    private static JsonValueKind ElementKind(List<JsonNode?> current, JsonArray patch)
    {
        JsonValueKind? kind = null;
        foreach (var item in current.Concat(patch))
        {
            var itemKind = JsonValues.KindOf(item) switch
            {
                JsonValueKind.False => JsonValueKind.True,
                var k => k,
            };
            if (itemKind == JsonValueKind.Array)
            {
                throw PatchException.Unprocessable("lists of lists are not supported by strategic merge patch");
            }

            if (kind is not null && kind != itemKind)
            {
                throw PatchException.Unprocessable($"list element types are not identical: {JsonValues.Render(new JsonArray([.. current.Select(static c => c?.DeepClone())]))} and {JsonValues.Render(patch)}");
            }

            kind = itemKind;
        }

        return kind ?? JsonValueKind.Null;
    }

    /// <summary>Takes the items out of <paramref name="list"/> (which the caller owns) so they can be re-parented.</summary>
    private static List<JsonNode?> Detach(JsonArray list)
    {
        var items = list.ToList();
        list.Clear();
        return items;
    }
}
