using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Validation;

/// <summary>
/// Applies the constant defaults of a schema to an object, as kube-apiserver's defaulting does on every
/// decode: a field with a default that is absent gets it, wherever its parent object exists (including inside
/// list items and map values); an absent parent is not created.
/// </summary>
public static class SchemaDefaults
{
    /// <summary>Fills in the defaults of <paramref name="schema"/> in <paramref name="node"/>.</summary>
    public static void Apply(JsonNode node, SchemaNode schema)
    {
        switch (node)
        {
            case JsonObject obj when schema.Type == SchemaType.Object:
                foreach (var (name, property) in schema.Properties)
                {
                    if (obj[name] is null && property.Default is { } value)
                    {
                        obj[name] = value.DeepClone();
                    }
                }

                foreach (var (name, child) in obj.ToList())
                {
                    if (child is not null && schema.Property(name) is { } childSchema)
                    {
                        Apply(child, childSchema);
                    }
                }

                break;
            case JsonArray array when schema.Items is { } items:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        Apply(item, items);
                    }
                }

                break;
        }
    }
}
