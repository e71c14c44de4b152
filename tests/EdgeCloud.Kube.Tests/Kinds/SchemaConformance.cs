using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Tests.Kinds;

/// <summary>Test helpers: walks a schema tree, and reports fields of a document the schema does not declare.</summary>
internal static class SchemaConformance
{
    /// <summary>Every node reachable from <paramref name="root"/>, with its path.</summary>
    public static IEnumerable<(string Path, SchemaNode Node)> Walk(SchemaNode root, string path = "")
    {
        yield return (path, root);
        foreach (var (name, child) in root.Properties)
        {
            foreach (var item in Walk(child, $"{path}.{name}"))
            {
                yield return item;
            }
        }

        if (root.Items is not null)
        {
            foreach (var item in Walk(root.Items, path + "[]"))
            {
                yield return item;
            }
        }

        if (root.AdditionalProperties is not null)
        {
            foreach (var item in Walk(root.AdditionalProperties, path + "{}"))
            {
                yield return item;
            }
        }
    }

    /// <summary>Paths of fields in <paramref name="value"/> unknown to <paramref name="schema"/>, and of values of the wrong JSON shape.</summary>
    public static List<string> Problems(SchemaNode schema, JsonNode? value, string path = "")
    {
        var problems = new List<string>();
        Check(schema, value, path, problems);
        return problems;
    }

    private static void Check(SchemaNode schema, JsonNode? value, string path, List<string> problems)
    {
        if (value is null || schema.Type == SchemaType.Any || schema.PreserveUnknownFields)
        {
            return;
        }

        switch (schema.Type)
        {
            case SchemaType.Object when value is JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    var childSchema = schema.Property(name);
                    if (childSchema is null)
                    {
                        problems.Add($"unknown field {path}.{name}");
                    }
                    else
                    {
                        Check(childSchema, child, $"{path}.{name}", problems);
                    }
                }

                foreach (var required in schema.Required)
                {
                    if (!obj.ContainsKey(required))
                    {
                        problems.Add($"missing required {path}.{required}");
                    }
                }

                break;
            case SchemaType.Array when value is JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    Check(schema.Items!, array[i], $"{path}[{i}]", problems);
                }

                break;
            case SchemaType.String when value.GetValueKind() == System.Text.Json.JsonValueKind.String:
            case SchemaType.Boolean when value.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False:
            case SchemaType.Integer or SchemaType.Number when value.GetValueKind() == System.Text.Json.JsonValueKind.Number:
            case SchemaType.IntOrString or SchemaType.Quantity when value.GetValueKind() is System.Text.Json.JsonValueKind.Number or System.Text.Json.JsonValueKind.String:
                break;
            default:
                problems.Add($"{path} is {value.GetValueKind()}, schema wants {schema.Type}");
                break;
        }
    }
}
