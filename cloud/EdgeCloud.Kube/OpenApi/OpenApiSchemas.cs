using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.OpenApi;

/// <summary>A <see cref="SchemaNode"/> as an OpenAPI v3 schema object with the Kubernetes extensions (x-kubernetes-*).</summary>
public static class OpenApiSchemas
{
    /// <summary>The OpenAPI form of <paramref name="node"/>, nested schemas inline.</summary>
    public static JsonObject ToOpenApi(SchemaNode node)
    {
        var schema = new JsonObject();
        switch (node.Type)
        {
            case SchemaType.IntOrString:
                schema["x-kubernetes-int-or-string"] = true;
                break;
            case SchemaType.Quantity:
                // resource.Quantity is written as a string ("500m", "1Gi") or a plain number.
                schema["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "number" });
                break;
            case SchemaType.Any:
                schema["x-kubernetes-preserve-unknown-fields"] = true;
                break;
            default:
                schema["type"] = node.Type.ToString().ToLowerInvariant();
                break;
        }

        Set(schema, "description", node.Description);
        Set(schema, "format", node.Type is SchemaType.Quantity or SchemaType.IntOrString ? null : node.Format);
        if (node.Properties.Count > 0)
        {
            var properties = new JsonObject();
            foreach (var (name, child) in node.Properties)
            {
                properties[name] = ToOpenApi(child);
            }

            schema["properties"] = properties;
        }

        if (node.Required.Count > 0)
        {
            schema["required"] = new JsonArray([.. node.Required.Order(StringComparer.Ordinal).Select(static r => (JsonNode)r)]);
        }

        if (node.Items is { } items)
        {
            schema["items"] = ToOpenApi(items);
        }

        if (node.AdditionalProperties is { } values)
        {
            schema["additionalProperties"] = ToOpenApi(values);
        }

        if (node.Default is { } defaultValue)
        {
            schema["default"] = defaultValue.DeepClone();
        }

        if (node.Enum is { } allowed)
        {
            schema["enum"] = new JsonArray([.. allowed.Select(static a => (JsonNode)a)]);
        }

        if (node.Nullable)
        {
            schema["nullable"] = true;
        }

        if (node.Type == SchemaType.Array && node.ListType != ListType.Atomic)
        {
            schema["x-kubernetes-list-type"] = node.ListType.ToString().ToLowerInvariant();
            if (node.ListMapKeys.Count > 0)
            {
                schema["x-kubernetes-list-map-keys"] = new JsonArray([.. node.ListMapKeys.Select(static k => (JsonNode)k)]);
            }
        }

        Set(schema, "x-kubernetes-patch-strategy", node.PatchStrategy);
        Set(schema, "x-kubernetes-patch-merge-key", node.PatchMergeKey);
        if (node.AtomicMap)
        {
            schema["x-kubernetes-map-type"] = "atomic";
        }

        if (node.PreserveUnknownFields && node.Type != SchemaType.Any)
        {
            schema["x-kubernetes-preserve-unknown-fields"] = true;
        }

        if (node.EmbeddedResource)
        {
            schema["x-kubernetes-embedded-resource"] = true;
        }

        SetNumber(schema, "minimum", node.Minimum);
        SetNumber(schema, "maximum", node.Maximum);
        SetNumber(schema, "minLength", node.MinLength);
        SetNumber(schema, "maxLength", node.MaxLength);
        Set(schema, "pattern", node.Pattern);
        SetNumber(schema, "minItems", node.MinItems);
        SetNumber(schema, "maxItems", node.MaxItems);
        return schema;
    }

    private static void Set(JsonObject schema, string name, string? value)
    {
        if (value is not null)
        {
            schema[name] = value;
        }
    }

    private static void SetNumber(JsonObject schema, string name, double? value)
    {
        if (value is { } v)
        {
            schema[name] = v;
        }
    }
}
