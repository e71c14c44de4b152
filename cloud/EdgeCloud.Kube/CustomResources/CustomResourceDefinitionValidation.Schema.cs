using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Validation;

namespace EdgeCloud.Kube.CustomResources;

public static partial class CustomResourceDefinitionValidation
{
    private static readonly string[] PropertyTypes = ["array", "boolean", "integer", "number", "object", "string"];
    private static readonly string[] ListTypes = ["atomic", "map", "set"];
    private static readonly string[] MapTypes = ["atomic", "granular"];
    private static readonly string[] Junctors = ["allOf", "anyOf", "oneOf"];

    // allowedFieldsAtRootSchema, by their JSON names: what may sit at the root when the status subresource is on,
    // so that properties["status"] alone carries every check that applies to status.
    private static readonly string[] RootKeywordsWithStatus =
    [
        "description", "type", "format", "title", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
        "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "multipleOf", "required", "items",
        "properties", "externalDocs", "example", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-validations",
    ];

    // The same list as upstream's message prints it (Go field names).
    private const string RootFieldsWithStatus =
        "[Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern " +
        "MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations]";

    // Keywords of JSON Schema that CRD schemas refuse outright (specStandardValidatorV3).
    private static readonly (string Keyword, string Message)[] Unsupported =
    [
        ("$ref", "$ref is not supported"),
        ("definitions", "definitions are not supported"),
        ("dependencies", "dependencies are not supported"),
        ("patternProperties", "patternProperties is not supported"),
        ("additionalItems", "additionalItems is not supported"),
    ];

    private enum Level
    {
        Root,
        Item,
        Field,
    }

    private static void ValidateSchema(JsonObject schema, string path, bool statusEnabled, List<StatusCause> errors)
    {
        var before = errors.Count;
        if (statusEnabled)
        {
            if (CrdJson.String(schema, "type") is { } rootType && rootType != "object")
            {
                errors.Add(FieldErrors.Invalid($"{path}.type", rootType,
                    "only \"object\" is allowed as the type at the root of the schema if the status subresource is enabled"));
            }
            else if (schema.Select(static p => p.Key).FirstOrDefault(k => !RootKeywordsWithStatus.Contains(k)) is not null)
            {
                errors.Add(FieldErrors.Invalid(path, schema,
                    $"only {RootFieldsWithStatus} fields are allowed at the root of the schema if the status subresource is enabled"));
            }
        }

        if (CrdJson.Bool(schema, "nullable"))
        {
            errors.Add(FieldErrors.Forbidden($"{path}.nullable", "nullable cannot be true at the root"));
        }

        Node(schema, path, Level.Root, errors);

        // Defaults are checked only against a structural schema, as upstream does: they are values of that schema.
        if (errors.Count == before)
        {
            Defaults(schema, CrdSchemaConverter.ToKindSchema(schema), path, isRoot: true, errors);
        }
    }

    private static void Node(JsonObject s, string path, Level level, List<StatusCause> errors)
    {
        foreach (var (keyword, message) in Unsupported)
        {
            if (s.ContainsKey(keyword))
            {
                errors.Add(FieldErrors.Forbidden($"{path}.{keyword}", message));
            }
        }

        if (CrdJson.Bool(s, "uniqueItems"))
        {
            errors.Add(FieldErrors.Forbidden($"{path}.uniqueItems", "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
        }

        var typeNode = s["type"];
        var type = CrdJson.String(s, "type") ?? "";
        if (typeNode is not null && !PropertyTypes.Contains(type))
        {
            errors.Add(FieldErrors.NotSupported($"{path}.type", type.Length > 0 ? type : typeNode.ToJsonString(), PropertyTypes));
        }

        var intOrString = CrdJson.Bool(s, "x-kubernetes-int-or-string");
        var preserveUnknown = CrdJson.Bool(s, "x-kubernetes-preserve-unknown-fields");
        var embedded = CrdJson.Bool(s, "x-kubernetes-embedded-resource");
        var properties = CrdJson.Object(s, "properties");

        if (type == "array" && !s.ContainsKey("items"))
        {
            errors.Add(FieldErrors.Required($"{path}.items", "must be specified"));
        }

        switch (s["items"])
        {
            case JsonObject items:
                Node(items, $"{path}.items", Level.Item, errors);
                break;
            case JsonArray:
                errors.Add(FieldErrors.Forbidden($"{path}.items", "items must be a schema object and not an array"));
                break;
        }

        foreach (var (name, child) in properties ?? [])
        {
            if (child is JsonObject childSchema)
            {
                Node(childSchema, $"{path}.properties[{name}]", Level.Field, errors);
            }
        }

        AdditionalProperties(s, path, level, properties, errors);

        if (intOrString && preserveUnknown)
        {
            errors.Add(FieldErrors.Invalid($"{path}.x-kubernetes-preserve-unknown-fields", JsonValue.Create(true), "must be false if x-kubernetes-int-or-string is true"));
        }

        if (intOrString && embedded)
        {
            errors.Add(FieldErrors.Invalid($"{path}.x-kubernetes-embedded-resource", JsonValue.Create(true), "must be false if x-kubernetes-int-or-string is true"));
        }

        ValueValidations(s, path, level, errors);

        if (embedded && type != "object")
        {
            errors.Add(type.Length == 0
                ? FieldErrors.Required($"{path}.type", "must be object if x-kubernetes-embedded-resource is true")
                : FieldErrors.Invalid($"{path}.type", type, "must be object if x-kubernetes-embedded-resource is true"));
        }
        else if (typeNode is null && !intOrString && !preserveUnknown)
        {
            // Structural schemas name a type everywhere, so pruning and defaulting know the shape of every value.
            errors.Add(FieldErrors.Required($"{path}.type", level switch
            {
                Level.Root => "must not be empty at the root",
                Level.Item => "must not be empty for specified array items",
                _ => "must not be empty for specified object fields",
            }));
        }

        if (embedded && s.ContainsKey("additionalProperties"))
        {
            errors.Add(FieldErrors.Forbidden($"{path}.additionalProperties", "must not be used if x-kubernetes-embedded-resource is set"));
        }

        if (level == Level.Root && type.Length > 0 && type != "object")
        {
            errors.Add(FieldErrors.Invalid($"{path}.type", type, "must be object at the root"));
        }

        if (level == Level.Root || embedded)
        {
            ObjectFields(properties, path, errors);
        }

        if (level == Level.Root && CrdJson.Object(properties, "metadata") is { } metadata && !IsNameOnlyMetadata(metadata))
        {
            // The server owns metadata; a CRD may only narrow the name (e.g. a shorter maximum length).
            errors.Add(FieldErrors.Forbidden($"{path}.properties[metadata]",
                "must not specify anything other than name and generateName, but metadata is implicitly specified"));
        }

        if (embedded && !preserveUnknown && (properties is null || properties.Count == 0))
        {
            errors.Add(FieldErrors.Required($"{path}.properties",
                "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"));
        }

        ListAndMapTypes(s, path, type, errors);

        if (CrdJson.String(s, "pattern") is { } pattern)
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                errors.Add(FieldErrors.Invalid($"{path}.pattern", pattern, $"must be a valid regular expression, but isn't: {e.Message}"));
            }
        }
    }

    private static void AdditionalProperties(JsonObject s, string path, Level level, JsonObject? properties, List<StatusCause> errors)
    {
        if (s["additionalProperties"] is not { } additional)
        {
            return;
        }

        var allowsAll = additional is JsonValue v && v.GetValueKind() == JsonValueKind.True;
        if (properties is { Count: > 0 } && !allowsAll)
        {
            // Properties describe a struct, additionalProperties a map: an object is one or the other.
            errors.Add(FieldErrors.Forbidden($"{path}.additionalProperties", "additionalProperties and properties are mutual exclusive"));
        }

        if (level == Level.Root)
        {
            errors.Add(FieldErrors.Forbidden($"{path}.additionalProperties", "must not be used at the root"));
        }

        if (additional is JsonObject valueSchema)
        {
            Node(valueSchema, $"{path}.additionalProperties", Level.Field, errors);
        }
    }

    /// <summary>apiVersion, kind and metadata of a resource (the root, or an embedded one) have fixed types.</summary>
    private static void ObjectFields(JsonObject? properties, string path, List<StatusCause> errors)
    {
        foreach (var (name, expected) in new[] { ("kind", "string"), ("apiVersion", "string"), ("metadata", "object") })
        {
            if (CrdJson.Object(properties, name) is { } field && CrdJson.String(field, "type") != expected)
            {
                errors.Add(FieldErrors.Invalid($"{path}.properties[{name}].type", CrdJson.String(field, "type") ?? "", $"must be {expected}"));
            }
        }
    }

    private static bool IsNameOnlyMetadata(JsonObject metadata)
    {
        foreach (var (keyword, value) in metadata)
        {
            switch (keyword)
            {
                case "type":
                    break;
                case "properties" when value is JsonObject properties:
                    if (properties.Any(static p => p.Key is not ("name" or "generateName")))
                    {
                        return false;
                    }

                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    private static void ListAndMapTypes(JsonObject s, string path, string type, List<StatusCause> errors)
    {
        var listType = CrdJson.String(s, "x-kubernetes-list-type");
        var mapKeys = CrdJson.Strings(s, "x-kubernetes-list-map-keys");
        var items = CrdJson.Object(s, "items");
        if (listType is not null)
        {
            if (!ListTypes.Contains(listType))
            {
                errors.Add(FieldErrors.NotSupported($"{path}.x-kubernetes-list-type", listType, ListTypes));
            }

            if (type != "array")
            {
                errors.Add(FieldErrors.Invalid($"{path}.type", type, "must be array if x-kubernetes-list-type is specified"));
            }
            else if (listType == "set" && CrdJson.String(items, "type") == "object" && CrdJson.String(items, "x-kubernetes-map-type") != "atomic")
            {
                // Set items are compared whole, so object items must be atomic.
                errors.Add(FieldErrors.Invalid($"{path}.items.x-kubernetes-map-type", CrdJson.String(items, "x-kubernetes-map-type") ?? "",
                    "must be atomic as item of a list with x-kubernetes-list-type=set"));
            }
            else if (listType == "map")
            {
                if (CrdJson.String(items, "type") != "object")
                {
                    errors.Add(FieldErrors.Invalid($"{path}.items.type", CrdJson.String(items, "type") ?? "",
                        "must be object if parent array's x-kubernetes-list-type is map"));
                }
                else if (mapKeys.Any(k => CrdJson.Object(CrdJson.Object(items, "properties"), k) is null))
                {
                    errors.Add(FieldErrors.Invalid($"{path}.x-kubernetes-list-map-keys", CrdJson.Array(s, "x-kubernetes-list-map-keys"),
                        "entries must all be names of item properties"));
                }
            }
        }

        if (listType == "map" && mapKeys.Count == 0)
        {
            errors.Add(FieldErrors.Required($"{path}.x-kubernetes-list-map-keys", "must not be empty if x-kubernetes-list-type is map"));
        }

        if (listType != "map" && mapKeys.Count > 0)
        {
            errors.Add(FieldErrors.Forbidden($"{path}.x-kubernetes-list-map-keys", "may only be set if x-kubernetes-list-type is map"));
        }

        if (CrdJson.String(s, "x-kubernetes-map-type") is { } mapType)
        {
            if (!MapTypes.Contains(mapType))
            {
                errors.Add(FieldErrors.NotSupported($"{path}.x-kubernetes-map-type", mapType, MapTypes));
            }
            else if (type != "object")
            {
                errors.Add(FieldErrors.Invalid($"{path}.type", type, "must be object if x-kubernetes-map-type is specified"));
            }
        }
    }

    /// <summary>
    /// allOf, anyOf, oneOf and not may only add value checks: anything that shapes the structure (types, defaults,
    /// extensions, metadata) must sit outside them so pruning and defaulting never depend on which branch matched.
    /// </summary>
    private static void ValueValidations(JsonObject s, string path, Level level, List<StatusCause> errors)
    {
        // x-kubernetes-int-or-string is written as anyOf [integer, string], alone or as the first allOf entry.
        var skipAnyOf = IsIntOrStringAnyOf(s);
        var skipFirstAllOfAnyOf = CrdJson.Array(s, "allOf") is [JsonObject firstAllOf, ..] && IsIntOrStringAnyOf(firstAllOf);
        foreach (var junctor in Junctors)
        {
            if (junctor == "anyOf" && skipAnyOf)
            {
                continue;
            }

            var branches = CrdJson.Array(s, junctor) ?? [];
            for (var i = 0; i < branches.Count; i++)
            {
                if (branches[i] is JsonObject branch)
                {
                    Nested(branch, $"{path}.{junctor}[{i}]", skipAnyOf: junctor == "allOf" && i == 0 && skipFirstAllOfAnyOf, level, errors);
                }
            }
        }

        if (CrdJson.Object(s, "not") is { } not)
        {
            Nested(not, $"{path}.not", skipAnyOf: false, level, errors);
        }
    }

    private static void Nested(JsonObject v, string path, bool skipAnyOf, Level level, List<StatusCause> errors)
    {
        (string Keyword, string Message)[] forbidden =
        [
            ("type", "must be empty to be structural"),
            ("additionalProperties", "must be undefined to be structural"),
            ("default", "must be undefined to be structural"),
            ("title", "must be empty to be structural"),
            ("description", "must be empty to be structural"),
        ];
        foreach (var (keyword, message) in forbidden)
        {
            if (v.ContainsKey(keyword))
            {
                errors.Add(FieldErrors.Forbidden($"{path}.{keyword}", message));
            }
        }

        foreach (var flag in new[] { "nullable", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string" })
        {
            if (CrdJson.Bool(v, flag))
            {
                errors.Add(FieldErrors.Forbidden($"{path}.{flag}", "must be false to be structural"));
            }
        }

        if (CrdJson.Strings(v, "x-kubernetes-list-map-keys").Count > 0)
        {
            errors.Add(FieldErrors.Forbidden($"{path}.x-kubernetes-list-map-keys", "must be empty to be structural"));
        }

        if (v.ContainsKey("x-kubernetes-list-type"))
        {
            errors.Add(FieldErrors.Forbidden($"{path}.x-kubernetes-list-type", "must be undefined to be structural"));
        }

        var properties = CrdJson.Object(v, "properties");
        if (properties?.ContainsKey("metadata") == true)
        {
            errors.Add(FieldErrors.Forbidden($"{path}.properties[metadata]", "must not be specified in a nested context"));
        }

        foreach (var (name, child) in properties ?? [])
        {
            if (child is JsonObject childSchema)
            {
                Nested(childSchema, $"{path}.properties[{name}]", skipAnyOf: false, Level.Field, errors);
            }
        }

        if (CrdJson.Object(v, "items") is { } items)
        {
            Nested(items, $"{path}.items", skipAnyOf: false, level, errors);
        }

        foreach (var junctor in Junctors)
        {
            if (junctor == "anyOf" && skipAnyOf)
            {
                continue;
            }

            var branches = CrdJson.Array(v, junctor) ?? [];
            for (var i = 0; i < branches.Count; i++)
            {
                if (branches[i] is JsonObject branch)
                {
                    Nested(branch, $"{path}.{junctor}[{i}]", skipAnyOf: false, level, errors);
                }
            }
        }

        if (CrdJson.Object(v, "not") is { } not)
        {
            Nested(not, $"{path}.not", skipAnyOf: false, level, errors);
        }
    }

    private static bool IsIntOrStringAnyOf(JsonObject s) =>
        CrdJson.Array(s, "anyOf") is [JsonObject first, JsonObject second]
        && first.Count == 1 && CrdJson.String(first, "type") == "integer"
        && second.Count == 1 && CrdJson.String(second, "type") == "string";

    /// <summary>
    /// Every default must be a valid, already pruned value of its own schema, or objects would be created invalid
    /// or lose the default on the next write (structuraldefaulting.ValidateDefaults with pruned defaults required).
    /// </summary>
    private static void Defaults(JsonObject raw, SchemaNode node, string path, bool isRoot, List<StatusCause> errors)
    {
        if (!isRoot && raw["default"] is { } value)
        {
            // Checked as the field "default" of a wrapper, so messages read "default.x in body ...".
            var wrapper = new JsonObject { ["default"] = value.DeepClone() };
            var check = SchemaValidator.Check(wrapper, Schemas.Object(null, ("default", node)));
            foreach (var error in check.Errors)
            {
                errors.Add(error with { Field = $"{path}.{error.Field}" });
            }

            if (check.UnknownFields.Count > 0)
            {
                errors.Add(FieldErrors.Invalid($"{path}.default", value,
                    $"must not have unknown fields, got: {string.Join(", ", check.UnknownFields)}"));
            }
        }

        foreach (var (name, child) in CrdJson.Object(raw, "properties") ?? [])
        {
            // The root's metadata is replaced by ObjectMeta; its defaults are not the CRD's to set.
            if (child is JsonObject childSchema && !(isRoot && name == "metadata") && node.Properties.TryGetValue(name, out var childNode))
            {
                Defaults(childSchema, childNode, $"{path}.properties[{name}]", isRoot: false, errors);
            }
        }

        if (CrdJson.Object(raw, "items") is { } items && node.Items is { } itemNode)
        {
            Defaults(items, itemNode, $"{path}.items", isRoot: false, errors);
        }

        if (CrdJson.Object(raw, "additionalProperties") is { } values && node.AdditionalProperties is { } valueNode)
        {
            Defaults(values, valueNode, $"{path}.additionalProperties", isRoot: false, errors);
        }
    }
}
