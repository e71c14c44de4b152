using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Apply;

public sealed partial class FieldSet
{
    private const string SelfKey = ".";

    /// <summary>
    /// The set in the fieldsV1 format of metadata.managedFields: a trie keyed by <c>f:</c>, <c>k:</c>,
    /// <c>v:</c> and <c>i:</c> elements, where <c>{}</c> is a member and <c>".": {}</c> marks an element that is
    /// a member and also has paths below it. Keys are written in upstream's sort order, <c>"."</c> first.
    /// </summary>
    public JsonObject ToFieldsV1()
    {
        var result = new JsonObject();
        var elements = new SortedSet<PathElement>(_members);
        elements.UnionWith(_children.Where(pair => !pair.Value.IsEmpty).Select(pair => pair.Key));
        foreach (var element in elements)
        {
            if (_children.TryGetValue(element, out var child) && !child.IsEmpty)
            {
                var node = new JsonObject();
                if (_members.Contains(element))
                {
                    node[SelfKey] = new JsonObject();
                }

                foreach (var (key, value) in child.ToFieldsV1())
                {
                    node[key] = value?.DeepClone();
                }

                result[element.FieldsV1Key] = node;
            }
            else
            {
                result[element.FieldsV1Key] = new JsonObject();
            }
        }

        return result;
    }

    /// <summary>Reads a fieldsV1 trie.</summary>
    /// <exception cref="FormatException">The JSON is not a fieldsV1 trie.</exception>
    public static FieldSet FromFieldsV1(JsonNode? fieldsV1)
    {
        if (fieldsV1 is not JsonObject obj)
        {
            throw new FormatException("fieldsV1 must be a JSON object");
        }

        var set = new FieldSet();
        Read(set, obj);
        return set;
    }

    private static void Read(FieldSet level, JsonObject obj)
    {
        foreach (var (key, value) in obj)
        {
            if (value is not JsonObject child)
            {
                throw new FormatException($"the value of {key} in fieldsV1 must be a JSON object");
            }

            if (key == SelfKey)
            {
                // "." belongs to the parent's element; the caller handles it.
                continue;
            }

            var element = PathElement.Parse(key);
            if (child.Count == 0 || child.ContainsKey(SelfKey))
            {
                level.AddMember(element);
            }

            if (child.Any(pair => pair.Key != SelfKey))
            {
                Read(level.ChildOrAdd(element), child);
            }
        }
    }
}
