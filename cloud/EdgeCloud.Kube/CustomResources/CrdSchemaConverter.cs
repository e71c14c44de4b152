using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.CustomResources;

/// <summary>
/// Turns a CRD version's openAPIV3Schema (JSONSchemaProps) into the <see cref="SchemaNode"/> tree that validation,
/// pruning and defaulting run on. Expects a schema that passed <see cref="CustomResourceDefinitionValidation"/>.
/// </summary>
/// <remarks>
/// Mapped: type, format, description, properties, required, items, additionalProperties (true or a schema),
/// default, enum (string values), nullable, minimum, maximum, minLength, maxLength, pattern, minItems, maxItems and
/// the x-kubernetes extensions preserve-unknown-fields, int-or-string, embedded-resource, list-type,
/// list-map-keys and map-type. Kept out of the node because nothing here can enforce them yet: allOf, anyOf,
/// oneOf and not (value validations that never change the structure), x-kubernetes-validations (CEL rules),
/// exclusiveMinimum/exclusiveMaximum, multipleOf, minProperties/maxProperties and enums of non-string values.
/// Custom resources accept no strategic merge patch (kube-apiserver answers 415), so no patch strategy is set.
/// </remarks>
public static class CrdSchemaConverter
{
    /// <summary>Converts one schema node and everything under it.</summary>
    public static SchemaNode ToSchemaNode(JsonObject openApiV3Schema)
    {
        ArgumentNullException.ThrowIfNull(openApiV3Schema);
        return Convert(openApiV3Schema);
    }

    /// <summary>
    /// Converts the root schema of a kind. apiVersion, kind and metadata are always declared, whatever the CRD
    /// says, because every object carries them; metadata is the full ObjectMeta, narrowed only where the CRD
    /// restricts name or generateName (the only metadata fields a structural schema may restrict). A root with
    /// x-kubernetes-preserve-unknown-fields keeps undeclared fields.
    /// </summary>
    public static SchemaNode ToKindSchema(JsonObject openApiV3Schema)
    {
        ArgumentNullException.ThrowIfNull(openApiV3Schema);
        var root = Convert(openApiV3Schema) with { Type = SchemaType.Object };
        var metadata = MetaSchemas.ObjectMeta;
        if (CrdJson.Object(CrdJson.Object(openApiV3Schema, "properties"), "metadata") is { } declaredMetadata
            && CrdJson.Object(declaredMetadata, "properties") is { } metadataProperties)
        {
            foreach (var name in new[] { "name", "generateName" })
            {
                if (CrdJson.Object(metadataProperties, name) is { } restriction)
                {
                    metadata = metadata.With((name, Restrict(metadata.Properties[name], Convert(restriction))));
                }
            }
        }

        return WithObjectFields(root, metadata);
    }

    private static SchemaNode Convert(JsonObject s)
    {
        var preserveUnknown = CrdJson.Bool(s, "x-kubernetes-preserve-unknown-fields");
        var embedded = CrdJson.Bool(s, "x-kubernetes-embedded-resource");
        var type = CrdJson.Bool(s, "x-kubernetes-int-or-string")
            ? SchemaType.IntOrString
            : CrdJson.String(s, "type") switch
            {
                "object" => SchemaType.Object,
                "array" => SchemaType.Array,
                "string" => SchemaType.String,
                "integer" => SchemaType.Integer,
                "number" => SchemaType.Number,
                "boolean" => SchemaType.Boolean,
                // Structural schemas leave the type out only under x-kubernetes-preserve-unknown-fields, where any
                // value is accepted; an embedded resource is always an object.
                _ => embedded ? SchemaType.Object : SchemaType.Any,
            };

        var node = new SchemaNode
        {
            Type = type,
            Format = CrdJson.String(s, "format"),
            Description = CrdJson.String(s, "description"),
            Required = new HashSet<string>(CrdJson.Strings(s, "required"), StringComparer.Ordinal),
            Default = s.TryGetPropertyValue("default", out var value) && value is not null ? value.DeepClone() : null,
            Enum = StringEnum(s),
            Nullable = CrdJson.Bool(s, "nullable"),
            PreserveUnknownFields = preserveUnknown || type == SchemaType.Any,
            EmbeddedResource = embedded,
            Minimum = CrdJson.Number(s, "minimum"),
            Maximum = CrdJson.Number(s, "maximum"),
            MinLength = CrdJson.Int(s, "minLength"),
            MaxLength = CrdJson.Int(s, "maxLength"),
            Pattern = CrdJson.String(s, "pattern"),
            MinItems = CrdJson.Int(s, "minItems"),
            MaxItems = CrdJson.Int(s, "maxItems"),
            AtomicMap = CrdJson.String(s, "x-kubernetes-map-type") == "atomic",
            ListType = CrdJson.String(s, "x-kubernetes-list-type") switch
            {
                "set" => ListType.Set,
                "map" => ListType.Map,
                _ => ListType.Atomic,
            },
            ListMapKeys = CrdJson.Strings(s, "x-kubernetes-list-map-keys"),
        };

        if (CrdJson.Object(s, "properties") is { } properties)
        {
            var ordered = new OrderedDictionary<string, SchemaNode>(StringComparer.Ordinal);
            foreach (var (name, child) in properties)
            {
                if (child is JsonObject childSchema)
                {
                    ordered[name] = Convert(childSchema);
                }
            }

            node = node with { Properties = ordered };
        }

        if (CrdJson.Object(s, "items") is { } items)
        {
            node = node with { Items = Convert(items) };
        }

        switch (s["additionalProperties"])
        {
            case JsonObject valueSchema:
                node = node with { AdditionalProperties = Convert(valueSchema) };
                break;
            case JsonValue flag when flag.GetValueKind() == JsonValueKind.True:
                // additionalProperties: true keeps every field: beside properties it only stops pruning (structural
                // pruning skips objects that allow additional properties); alone it makes a map of anything.
                node = node.Properties.Count > 0
                    ? node with { PreserveUnknownFields = true }
                    : node with { AdditionalProperties = Schemas.Any() };
                break;
        }

        if (embedded)
        {
            // An embedded resource always keeps and checks apiVersion, kind and metadata, declared or not
            // (structural pruning treats them as implicitly specified).
            node = WithObjectFields(node, MetaSchemas.ObjectMeta);
        }

        return node;
    }

    private static SchemaNode WithObjectFields(SchemaNode node, SchemaNode metadata)
    {
        var ordered = new OrderedDictionary<string, SchemaNode>(StringComparer.Ordinal)
        {
            ["apiVersion"] = Restrict(Schemas.String("Versioned schema of this representation, e.g. stable.example.com/v1."), node.Properties.GetValueOrDefault("apiVersion")),
            ["kind"] = Restrict(Schemas.String("REST resource kind this object represents, in CamelCase."), node.Properties.GetValueOrDefault("kind")),
            ["metadata"] = metadata,
        };
        foreach (var (name, child) in node.Properties)
        {
            ordered.TryAdd(name, child);
        }

        return node with { Properties = ordered };
    }

    /// <summary>A string field narrowed by the value checks the CRD declares for it (length, pattern, enum).</summary>
    private static SchemaNode Restrict(SchemaNode field, SchemaNode? declared) => declared is null
        ? field
        : field with
        {
            Description = declared.Description ?? field.Description,
            MinLength = declared.MinLength ?? field.MinLength,
            MaxLength = declared.MaxLength ?? field.MaxLength,
            Pattern = declared.Pattern ?? field.Pattern,
            Enum = declared.Enum ?? field.Enum,
        };

    private static IReadOnlyList<string>? StringEnum(JsonObject s)
    {
        if (CrdJson.Array(s, "enum") is not { } values)
        {
            return null;
        }

        var strings = new List<string>();
        foreach (var v in values)
        {
            if (v is not JsonValue value || !value.TryGetValue<string>(out var text))
            {
                // SchemaNode.Enum holds strings only: an enum of numbers or booleans is not enforced rather than
                // enforced wrongly.
                return null;
            }

            strings.Add(text);
        }

        return strings;
    }
}
