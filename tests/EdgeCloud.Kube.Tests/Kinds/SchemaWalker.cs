using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Tests.Kinds;

/// <summary>Finds what a strict server would refuse in an object: unknown fields, wrong JSON types, missing required fields, values outside an enum.</summary>
internal static class SchemaWalker
{
    public static List<string> Problems(SchemaNode schema, JsonNode? value)
    {
        var problems = new List<string>();
        Walk(schema, value, "", problems);
        return problems;
    }

    private static void Walk(SchemaNode schema, JsonNode? value, string path, List<string> problems)
    {
        if (value is null)
        {
            return;
        }

        switch (schema.Type)
        {
            case SchemaType.Any:
                return;
            case SchemaType.Object:
                if (value is not JsonObject obj)
                {
                    problems.Add($"{path}: expected an object");
                    return;
                }

                foreach (var name in schema.Required.Where(n => !obj.ContainsKey(n)))
                {
                    problems.Add($"{path}.{name}: required");
                }

                foreach (var (name, child) in obj)
                {
                    if (schema.Properties.TryGetValue(name, out var property))
                    {
                        Walk(property, child, $"{path}.{name}", problems);
                    }
                    else if (schema.AdditionalProperties is { } values)
                    {
                        Walk(values, child, $"{path}[{name}]", problems);
                    }
                    else if (!schema.PreserveUnknownFields)
                    {
                        problems.Add($"{path}.{name}: unknown field");
                    }
                }

                return;
            case SchemaType.Array:
                if (value is not JsonArray array)
                {
                    problems.Add($"{path}: expected an array");
                    return;
                }

                for (var i = 0; i < array.Count; i++)
                {
                    Walk(schema.Items!, array[i], $"{path}[{i}]", problems);
                }

                return;
        }

        var kind = value.GetValueKind();
        var ok = schema.Type switch
        {
            SchemaType.String => kind == JsonValueKind.String,
            SchemaType.Integer => kind == JsonValueKind.Number && IsWhole(value),
            SchemaType.Number => kind == JsonValueKind.Number,
            SchemaType.Boolean => kind is JsonValueKind.True or JsonValueKind.False,
            SchemaType.IntOrString => kind == JsonValueKind.String || (kind == JsonValueKind.Number && IsWhole(value)),
            SchemaType.Quantity => kind is JsonValueKind.String or JsonValueKind.Number,
            _ => false,
        };
        if (!ok)
        {
            problems.Add($"{path}: {kind} is not a {schema.Type}");
        }
        else if (schema.Enum is { } allowed && !allowed.Contains(value.GetValue<string>()))
        {
            problems.Add($"{path}: {value} is not one of {string.Join(", ", allowed)}");
        }
    }

    // A JsonValue built in code holds its CLR type (int, long, ...), one parsed holds a JsonElement: read the text.
    private static bool IsWhole(JsonNode value) =>
        decimal.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
        && number % 1 == 0;

    /// <summary>Every node of the schema with its path, depth first.</summary>
    public static IEnumerable<(string Path, SchemaNode Node)> Nodes(SchemaNode schema, string path = "")
    {
        yield return (path, schema);
        foreach (var (name, child) in schema.Properties)
        {
            foreach (var inner in Nodes(child, $"{path}.{name}"))
            {
                yield return inner;
            }
        }

        if (schema.Items is { } items)
        {
            foreach (var inner in Nodes(items, path + "[]"))
            {
                yield return inner;
            }
        }

        if (schema.AdditionalProperties is { } values)
        {
            foreach (var inner in Nodes(values, path + "{}"))
            {
                yield return inner;
            }
        }
    }
}
