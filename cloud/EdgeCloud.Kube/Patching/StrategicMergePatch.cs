using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Patching;

/// <summary>
/// Strategic merge patch, the <c>application/strategic-merge-patch+json</c> PATCH body that kubectl sends for
/// <c>kubectl patch</c> and <c>kubectl apply</c>. It is a JSON merge patch whose lists merge as the schema says
/// (x-kubernetes-patch-strategy and x-kubernetes-patch-merge-key), plus directives: <c>$patch</c>,
/// <c>$retainKeys</c>, <c>$setElementOrder/&lt;list&gt;</c> and <c>$deleteFromPrimitiveList/&lt;list&gt;</c>.
/// Behaviour follows k8s.io/apimachinery/pkg/util/strategicpatch as kube-apiserver runs it
/// (MergeParallelList and IgnoreUnmatchedNulls both on), including how merged lists are ordered.
/// </summary>
/// <remarks>
/// Deliberate differences from upstream, each because upstream's result is an accident of typed Go structs:
/// <c>$patch: delete</c> on a map removes the field (upstream yields an empty map, which omitempty then drops for
/// maps); <c>$patch: merge</c> on a map is accepted as the explicit default; values taken from the patch where
/// the object had nothing are themselves merged into an empty value, so no directive or null is ever stored; and a
/// <c>$</c>-key that is not a directive is refused instead of being stored as data. Fields the schema does not
/// declare (and <see cref="SchemaType.Any"/> nodes) merge like a JSON merge patch: maps merge, lists are replaced.
/// </remarks>
public static partial class StrategicMergePatch
{
    /// <summary>The PATCH Content-Type this engine serves.</summary>
    public const string MediaType = "application/strategic-merge-patch+json";

    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    /// <summary>
    /// Applies <paramref name="patch"/> to a copy of <paramref name="original"/> using <paramref name="schema"/> (the
    /// kind's whole-object schema) and returns the copy; neither input is changed.
    /// </summary>
    /// <exception cref="PatchException">
    /// 400 when the patch or a directive is malformed (an unknown <c>$patch</c> value or <c>$</c> directive, a
    /// directive that is not a list, a <c>$setElementOrder</c> list whose order contradicts the patch list); 422 when
    /// it does not apply to this object (a merge list item without its merge key, a list of lists, list items of
    /// different types, a key outside <c>$retainKeys</c>).
    /// </exception>
    public static JsonObject Apply(JsonObject original, JsonObject patch, SchemaNode schema)
    {
        var target = (JsonObject)original.DeepClone();
        return MergeObject(target, patch, schema) ?? [];
    }

    /// <summary>
    /// As <see cref="Apply(JsonObject, JsonObject, SchemaNode)"/> for a patch body not yet known to be an object:
    /// kube-apiserver answers 400 when a strategic merge patch is not a JSON object.
    /// </summary>
    public static JsonObject Apply(JsonObject original, JsonNode? patch, SchemaNode schema) =>
        patch is JsonObject patchObject
            ? Apply(original, patchObject, schema)
            : throw PatchException.BadRequest($"a strategic merge patch must be a JSON object, got {JsonValues.Render(patch)}");

    /// <summary>
    /// Merges <paramref name="patch"/> into <paramref name="target"/> (owned by the caller and changed in place).
    /// Returns null when the patch says <c>$patch: delete</c>.
    /// </summary>
    private static JsonObject? MergeObject(JsonObject target, JsonObject patch, SchemaNode? schema)
    {
        if (patch.TryGetPropertyValue(PatchDirective, out var directive))
        {
            switch (DirectiveValue(directive))
            {
                case "replace":
                    // The map becomes exactly the patch's other keys; those are merged into {} so nested directives
                    // and nulls are resolved rather than stored.
                    return MergeObject([], Without(patch, PatchDirective), schema);
                case "delete":
                    return null;
                case "merge":
                    break;
                default:
                    throw PatchException.BadRequest($"unknown patch type: {JsonValues.Render(directive)} in map: {JsonValues.Render(patch)}");
            }
        }

        ApplyRetainKeys(target, patch);
        var ordered = ApplySetElementOrder(target, patch, schema);

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith('$'))
            {
                if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
                {
                    DeleteFromPrimitiveList(target, key, value);
                }
                else if (key != PatchDirective && key != RetainKeysDirective && !key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
                {
                    throw PatchException.BadRequest($"unknown strategic merge patch directive \"{key}\"");
                }

                continue;
            }

            if (ordered.Contains(key))
            {
                continue;
            }

            if (value is null)
            {
                target.Remove(key);
                continue;
            }

            var field = Field(schema, key);
            target.TryGetPropertyValue(key, out var current);
            var merged = (current, value) switch
            {
                (JsonObject, JsonObject patchObject) when IsReplace(field) => MergeObject([], patchObject, ObjectSchema(field)),
                (JsonObject currentObject, JsonObject patchObject) => MergeObject(currentObject, patchObject, ObjectSchema(field)),
                (JsonArray currentArray, JsonArray patchArray) => MergeList(currentArray, patchArray, field),
                _ => NewValue(value, field),
            };

            if (merged is null)
            {
                target.Remove(key);
            }
            else if (!ReferenceEquals(merged, current))
            {
                target[key] = merged;
            }
        }

        return target;
    }

    /// <summary>
    /// A patch value for a field the object did not have (or had with another JSON type): merged into an empty value
    /// of its own type, which drops nulls (upstream's IgnoreUnmatchedNulls) and resolves directives.
    /// </summary>
    private static JsonNode? NewValue(JsonNode value, SchemaNode? field) => value switch
    {
        JsonObject patchObject => MergeObject([], patchObject, ObjectSchema(field)),
        JsonArray patchArray => MergeList([], patchArray, field),
        _ => value.DeepClone(),
    };

    /// <summary>
    /// The schema of field <paramref name="key"/>, or null when the field is unknown: then it merges like a JSON
    /// merge patch (maps merge, lists are replaced), as upstream does for fields without patch metadata.
    /// </summary>
    private static SchemaNode? Field(SchemaNode? schema, string key)
    {
        if (schema is null || schema.Type == SchemaType.Any)
        {
            return null;
        }

        var field = schema.Property(key);
        return field is null || field.Type == SchemaType.Any ? null : field;
    }

    private static SchemaNode? ObjectSchema(SchemaNode? field) => field?.Type == SchemaType.Object ? field : null;

    private static bool IsReplace(SchemaNode? field) => Strategies(field).Contains("replace");

    private static bool IsMerge(SchemaNode? field) => Strategies(field).Contains("merge");

    private static string[] Strategies(SchemaNode? field) =>
        field?.PatchStrategy is { } strategy
            ? strategy.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];

    private static string DirectiveValue(JsonNode? directive) =>
        directive?.GetValueKind() == JsonValueKind.String ? directive.GetValue<string>() : JsonValues.Render(directive);

    private static JsonObject Without(JsonObject patch, string key)
    {
        var copy = new JsonObject();
        foreach (var (name, value) in patch)
        {
            if (name != key)
            {
                copy[name] = value?.DeepClone();
            }
        }

        return copy;
    }

    /// <summary>
    /// <c>$retainKeys</c>: the object keeps only the listed keys (kubectl apply sends it for fields whose strategy
    /// includes retainKeys, e.g. a Deployment's strategy, so that switching type drops the old type's settings).
    /// Every key the patch sets must be listed; upstream refuses the patch otherwise.
    /// </summary>
    private static void ApplyRetainKeys(JsonObject target, JsonObject patch)
    {
        if (!patch.TryGetPropertyValue(RetainKeysDirective, out var retain))
        {
            return;
        }

        if (retain is not JsonArray retainList || retainList.Any(static k => k?.GetValueKind() != JsonValueKind.String))
        {
            throw PatchException.BadRequest($"invalid patch: {RetainKeysDirective} must be a list of field names, got {JsonValues.Render(retain)}");
        }

        var keep = retainList.Select(static k => k!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (value is null || key.StartsWith('$'))
            {
                continue;
            }

            if (!keep.Contains(key))
            {
                throw PatchException.Unprocessable($"the patch sets \"{key}\", which is not in its {RetainKeysDirective} list {JsonValues.Render(retain)}");
            }
        }

        foreach (var key in target.Select(static p => p.Key).ToList())
        {
            if (!keep.Contains(key))
            {
                target.Remove(key);
            }
        }
    }

    /// <summary>
    /// <c>$deleteFromPrimitiveList/&lt;list&gt;</c>: removes these values from a list of scalars (how kubectl apply
    /// deletes from a merged primitive list such as finalizers, which a list patch alone can only add to).
    /// </summary>
    private static void DeleteFromPrimitiveList(JsonObject target, string key, JsonNode? value)
    {
        var field = key[DeleteFromPrimitiveListPrefix.Length..];
        if (field.Length == 0 || value is not JsonArray toDelete)
        {
            throw PatchException.BadRequest($"invalid patch: {key} must name a list and hold a list of values, got {JsonValues.Render(value)}");
        }

        if (target[field] is not JsonArray list)
        {
            return;
        }

        for (var i = list.Count - 1; i >= 0; i--)
        {
            var item = list[i];
            if (toDelete.Any(d => JsonValues.Equal(d, item)))
            {
                list.RemoveAt(i);
            }
        }
    }
}
