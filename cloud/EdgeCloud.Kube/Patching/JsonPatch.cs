using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Patching;

/// <summary>
/// JSON Patch (RFC 6902), the <c>application/json-patch+json</c> PATCH body: an array of add, remove, replace,
/// move, copy and test operations applied in order, all or nothing. Where kube-apiserver (which uses
/// evanphx/json-patch) differs from the RFC, this follows kube-apiserver, as noted on <see cref="Apply"/>.
/// </summary>
public static class JsonPatch
{
    /// <summary>The PATCH Content-Type this engine serves.</summary>
    public const string MediaType = "application/json-patch+json";

    /// <summary>
    /// Most operations one patch may hold. kube-apiserver refuses longer patches with 413 so that a small body cannot
    /// make it do unbounded work (maxJSONPatchOperations in its patch handler). 10,000 operations.
    /// </summary>
    public const int MaxOperations = 10_000;

    /// <summary>
    /// Applies <paramref name="patch"/> to a copy of <paramref name="document"/> and returns the copy; neither input
    /// is changed. Behaviour matched from kube-apiserver rather than the letter of the RFC:
    /// <c>remove</c> and <c>replace</c> of a missing member fail, <c>add</c> under a missing parent fails, and
    /// <c>test</c> of a missing member passes only when the expected value is null.
    /// </summary>
    /// <exception cref="PatchException">
    /// 400 when the patch is not an array of objects, 413 when it has more than <see cref="MaxOperations"/>
    /// operations, 422 when an operation is incomplete (no op, path, value or from), unknown, or does not apply.
    /// </exception>
    public static JsonNode? Apply(JsonNode? document, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw PatchException.BadRequest($"a JSON patch must be an array of operations, got {Describe(patch)}");
        }

        if (operations.Count > MaxOperations)
        {
            throw new PatchException(413, $"the allowed maximum operations in a JSON patch is {MaxOperations}, got {operations.Count}");
        }

        foreach (var operation in operations)
        {
            if (operation is not JsonObject)
            {
                throw PatchException.BadRequest($"a JSON patch operation must be an object, got {Describe(operation)}");
            }
        }

        var result = document?.DeepClone();
        for (var i = 0; i < operations.Count; i++)
        {
            result = ApplyOperation(result, (JsonObject)operations[i]!, i);
        }

        return result;
    }

    private static JsonNode? ApplyOperation(JsonNode? document, JsonObject operation, int index)
    {
        var op = RequiredString(operation, "op", index);
        var path = JsonPointer.Parse(RequiredString(operation, "path", index));
        switch (op)
        {
            case "add":
                return Add(document, path, RequiredValue(operation, index).DeepCloneOrNull(), op);
            case "remove":
                Remove(document, path, op);
                return document;
            case "replace":
                return Replace(document, path, RequiredValue(operation, index).DeepCloneOrNull());
            case "move":
            {
                var from = JsonPointer.Parse(RequiredString(operation, "from", index));
                if (path.StartsWith(from) && path.Tokens.Count > from.Tokens.Count)
                {
                    // RFC 6902 section 4.4: a location cannot be moved into one of its children.
                    throw PatchException.Unprocessable($"move operation cannot move \"{from}\" into its own child \"{path}\"");
                }

                var value = Get(document, from, op, mustExist: true);
                if (path.Tokens.SequenceEqual(from.Tokens))
                {
                    return document;
                }

                Remove(document, from, op);
                return Add(document, path, value, op);
            }

            case "copy":
            {
                var from = JsonPointer.Parse(RequiredString(operation, "from", index));
                var value = Get(document, from, op, mustExist: true);
                return Add(document, path, value.DeepCloneOrNull(), op);
            }

            case "test":
            {
                var expected = RequiredValue(operation, index);
                var actual = Get(document, path, op, mustExist: false);
                if (!JsonValues.Equal(actual, expected))
                {
                    throw PatchException.Unprocessable($"test operation failed: the value at \"{path}\" is {JsonValues.Render(actual)}, not {JsonValues.Render(expected)}");
                }

                return document;
            }

            default:
                throw PatchException.Unprocessable($"operation {index} has unknown op \"{op}\": expected add, remove, replace, move, copy or test");
        }
    }

    private static JsonNode? Add(JsonNode? document, JsonPointer path, JsonNode? value, string op)
    {
        if (path.IsRoot)
        {
            return value;
        }

        var (parent, token) = Parent(document, path, op);
        switch (parent)
        {
            case JsonObject obj:
                obj[token] = value;
                break;
            case JsonArray array:
                if (token == "-")
                {
                    array.Add(value);
                    break;
                }

                var at = Index(token, path, op);
                if (at > array.Count)
                {
                    throw PatchException.Unprocessable($"{op} operation does not apply: index {at} of \"{path}\" is past the end of an array of {array.Count}");
                }

                array.Insert(at, value);
                break;
        }

        return document;
    }

    private static void Remove(JsonNode? document, JsonPointer path, string op)
    {
        if (path.IsRoot)
        {
            throw PatchException.Unprocessable($"{op} operation does not apply: the whole document cannot be removed");
        }

        var (parent, token) = Parent(document, path, op);
        switch (parent)
        {
            case JsonObject obj:
                if (!obj.Remove(token))
                {
                    throw Missing(op, path);
                }

                break;
            case JsonArray array:
                var at = ExistingIndex(array, token, path, op);
                array.RemoveAt(at);
                break;
        }
    }

    private static JsonNode? Replace(JsonNode? document, JsonPointer path, JsonNode? value)
    {
        const string Op = "replace";
        if (path.IsRoot)
        {
            return value;
        }

        var (parent, token) = Parent(document, path, Op);
        switch (parent)
        {
            case JsonObject obj:
                if (!obj.ContainsKey(token))
                {
                    throw Missing(Op, path);
                }

                obj[token] = value;
                break;
            case JsonArray array:
                var at = ExistingIndex(array, token, path, Op);
                array[at] = value;
                break;
        }

        return document;
    }

    private static JsonNode? Get(JsonNode? document, JsonPointer path, string op, bool mustExist)
    {
        if (path.IsRoot)
        {
            return document;
        }

        var (parent, token) = Parent(document, path, op);
        switch (parent)
        {
            case JsonObject obj:
                if (obj.TryGetPropertyValue(token, out var value))
                {
                    return value;
                }

                // evanphx/json-patch (kube-apiserver) treats a missing member as null for test, so
                // {"op":"test","path":"/missing","value":null} passes; move and copy need the member.
                return mustExist ? throw Missing(op, path) : null;
            default:
                return ((JsonArray)parent)[ExistingIndex((JsonArray)parent, token, path, op)];
        }
    }

    /// <summary>The container holding the last token of <paramref name="path"/>, which must exist.</summary>
    private static (JsonNode Parent, string Token) Parent(JsonNode? document, JsonPointer path, string op)
    {
        var current = document;
        for (var i = 0; i < path.Tokens.Count - 1; i++)
        {
            var token = path.Tokens[i];
            current = current switch
            {
                JsonObject obj when obj.TryGetPropertyValue(token, out var child) => child,
                JsonArray array when JsonPointer.TryParseIndex(token, out var at) && at < array.Count => array[at],
                _ => throw Missing(op, path),
            };
        }

        return current is JsonObject or JsonArray
            ? (current, path.Tokens[^1])
            : throw Missing(op, path);
    }

    private static int ExistingIndex(JsonArray array, string token, JsonPointer path, string op)
    {
        var at = Index(token, path, op);
        return at < array.Count
            ? at
            : throw PatchException.Unprocessable($"{op} operation does not apply: index {at} of \"{path}\" is out of bounds of an array of {array.Count}");
    }

    private static int Index(string token, JsonPointer path, string op) =>
        JsonPointer.TryParseIndex(token, out var at)
            ? at
            : throw PatchException.Unprocessable($"{op} operation does not apply: \"{token}\" in \"{path}\" is not an array index (decimal digits without leading zeros)");

    private static PatchException Missing(string op, JsonPointer path) =>
        PatchException.Unprocessable($"{op} operation does not apply: doc is missing path: \"{path}\"");

    private static string RequiredString(JsonObject operation, string member, int index)
    {
        if (!operation.TryGetPropertyValue(member, out var node) || node is null)
        {
            throw PatchException.Unprocessable($"operation {index} is missing \"{member}\"");
        }

        return node.GetValueKind() == JsonValueKind.String
            ? node.GetValue<string>()
            : throw PatchException.Unprocessable($"operation {index}: \"{member}\" must be a string, got {Describe(node)}");
    }

    private static JsonNode? RequiredValue(JsonObject operation, int index) =>
        operation.TryGetPropertyValue("value", out var value)
            ? value
            : throw PatchException.Unprocessable($"operation {index} ({JsonValues.Render(operation["op"])}) is missing \"value\"");

    private static string Describe(JsonNode? node) => node is null ? "null" : node.GetValueKind().ToString().ToLowerInvariant();

    private static JsonNode? DeepCloneOrNull(this JsonNode? node) => node?.DeepClone();
}
