using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Patching;

/// <summary>
/// JSON Patch (RFC 6902) with JSON Pointers (RFC 6901). As kube-apiserver (evanphx/json-patch), removing or
/// replacing a missing path is an error, and adding below a missing parent is an error.
/// </summary>
public static class JsonPatch
{
    /// <summary>The result of applying the operations of <paramref name="patch"/> to <paramref name="document"/> in order.</summary>
    public static JsonNode? Apply(JsonNode? document, JsonNode patch)
    {
        if (patch is not JsonArray operations)
        {
            throw new PatchException("json patch must be an array of operations", malformed: true);
        }

        var result = document?.DeepClone();
        foreach (var (operation, index) in operations.Select(static (o, i) => (o, i)))
        {
            if (operation is not JsonObject op)
            {
                throw new PatchException($"operation {index} is not an object", malformed: true);
            }

            var name = op["op"]?.ToString() ?? throw new PatchException($"operation {index} has no \"op\"", malformed: true);
            var path = op["path"]?.ToString() ?? throw new PatchException($"operation {index} ({name}) has no \"path\"", malformed: true);
            result = name switch
            {
                "add" => Add(result, path, Value(op, index)),
                "remove" => Remove(result, path, out _),
                "replace" => Add(Remove(result, path, out _), path, Value(op, index)),
                "move" => MoveOrCopy(result, From(op, index), path, move: true),
                "copy" => MoveOrCopy(result, From(op, index), path, move: false),
                "test" => Test(result, path, Value(op, index)),
                _ => throw new PatchException($"Unexpected kind: {name}", malformed: true),
            };
        }

        return result;
    }

    private static JsonNode? Value(JsonObject op, int index) =>
        op.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw new PatchException($"operation {index} ({op["op"]}) has no \"value\"", malformed: true);

    private static string From(JsonObject op, int index) => op["from"]?.ToString() ?? throw new PatchException($"operation {index} ({op["op"]}) has no \"from\"", malformed: true);

    private static JsonNode? MoveOrCopy(JsonNode? document, string from, string path, bool move)
    {
        var value = Get(document, from) ?? throw new PatchException($"missing value at \"{from}\"", malformed: false);
        value = value.DeepClone();
        if (move)
        {
            document = Remove(document, from, out _);
        }

        return Add(document, path, value);
    }

    private static JsonNode? Test(JsonNode? document, string path, JsonNode? expected)
    {
        var actual = Get(document, path);
        if (!JsonNode.DeepEquals(actual, expected))
        {
            throw new PatchException($"testing value {path} failed", malformed: false);
        }

        return document;
    }

    private static JsonNode? Add(JsonNode? document, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value;
        }

        var (parent, last) = Parent(document, path);
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array:
                var index = last == "-" ? array.Count : Index(last, array.Count + 1, path);
                array.Insert(index, value);
                break;
            default:
                throw new PatchException($"add operation does not apply: doc is missing path: \"{path}\"", malformed: false);
        }

        return document;
    }

    private static JsonNode? Remove(JsonNode? document, string path, out JsonNode? removed)
    {
        if (path.Length == 0)
        {
            removed = document;
            return null;
        }

        var (parent, last) = Parent(document, path);
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                removed = obj[last];
                obj.Remove(last);
                return document;
            case JsonArray array:
                var index = Index(last, array.Count, path);
                removed = array[index];
                array.RemoveAt(index);
                return document;
            default:
                throw new PatchException($"doc is missing path: \"{path}\": missing value", malformed: false);
        }
    }

    private static JsonNode? Get(JsonNode? document, string path)
    {
        var node = document;
        foreach (var token in Tokens(path))
        {
            node = node switch
            {
                JsonObject obj when obj.ContainsKey(token) => obj[token],
                JsonArray array => array[Index(token, array.Count, path)],
                _ => throw new PatchException($"doc is missing path: \"{path}\"", malformed: false),
            };
        }

        return node;
    }

    private static (JsonNode? Parent, string Last) Parent(JsonNode? document, string path)
    {
        var tokens = Tokens(path);
        var node = document;
        foreach (var token in tokens[..^1])
        {
            node = node switch
            {
                JsonObject obj when obj[token] is { } child => child,
                JsonArray array => array[Index(token, array.Count, path)],
                _ => throw new PatchException($"doc is missing path: \"{path}\"", malformed: false),
            };
        }

        return (node, tokens[^1]);
    }

    private static string[] Tokens(string path)
    {
        if (!path.StartsWith('/'))
        {
            throw new PatchException($"JSON pointer must be empty or start with a \"/\": \"{path}\"", malformed: true);
        }

        return [.. path[1..].Split('/').Select(static t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static int Index(string token, int limit, string path)
    {
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= limit)
        {
            throw new PatchException($"invalid array index \"{token}\" in \"{path}\"", malformed: false);
        }

        return index;
    }
}
