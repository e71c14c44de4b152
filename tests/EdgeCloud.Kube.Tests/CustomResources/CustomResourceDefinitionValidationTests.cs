using System.Text.Json.Nodes;
using EdgeCloud.Kube.CustomResources;

namespace EdgeCloud.Kube.Tests.CustomResources;

public sealed class CustomResourceDefinitionValidationTests
{
    private static void AssertCause(Action<JsonObject> edit, string field, string message)
    {
        var errors = CustomResourceDefinitionValidation.Validate(CronTabDefinition.With(edit));
        Assert.Contains(errors, e => e.Field == field && e.Message == message);
    }

    [Fact]
    public void Name_must_be_plural_dot_group() =>
        AssertCause(c => c["metadata"]!["name"] = "crontab.stable.example.com",
            "metadata.name", "Invalid value: \"crontab.stable.example.com\": must be spec.names.plural+\".\"+spec.group");

    [Fact]
    public void Group_is_required() =>
        AssertCause(c => c.Spec().Remove("group"), "spec.group", "Required value");

    [Fact]
    public void Group_needs_a_dot() =>
        AssertCause(c => { c.Spec()["group"] = "example"; c["metadata"]!["name"] = "crontabs.example"; },
            "spec.group", "Invalid value: \"example\": should be a domain with at least one dot");

    [Fact]
    public void Group_must_be_a_subdomain()
    {
        var errors = CustomResourceDefinitionValidation.Validate(CronTabDefinition.With(c => c.Spec()["group"] = "Stable.Example.com"));
        var cause = Assert.Single(errors, e => e.Field == "spec.group");
        Assert.StartsWith("Invalid value: \"Stable.Example.com\": a lowercase RFC 1123 subdomain", cause.Message);
    }

    [Fact]
    public void Scope_is_required() => AssertCause(c => c.Spec().Remove("scope"), "spec.scope", "Required value");

    [Fact]
    public void Scope_is_cluster_or_namespaced() =>
        AssertCause(c => c.Spec()["scope"] = "Global", "spec.scope", "Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\"");

    [Fact]
    public void Plural_is_required() => AssertCause(c => c.Spec()["names"]!.AsObject().Remove("plural"), "spec.names.plural", "Required value");

    [Fact]
    public void Kind_is_required() => AssertCause(c => c.Spec()["names"]!.AsObject().Remove("kind"), "spec.names.kind", "Required value");

    [Theory]
    [InlineData("plural", "CronTabs", "spec.names.plural")]
    [InlineData("singular", "cron_tab", "spec.names.singular")]
    public void Plural_and_singular_are_lowercase_labels(string name, string value, string field)
    {
        var errors = CustomResourceDefinitionValidation.Validate(CronTabDefinition.With(c => c.Spec()["names"]![name] = value));
        var cause = Assert.Single(errors, e => e.Field == field);
        Assert.StartsWith($"Invalid value: \"{value}\": a DNS-1035 label must consist of lower case alphanumeric characters", cause.Message);
    }

    [Fact]
    public void Kind_may_have_mixed_case_but_is_otherwise_a_label()
    {
        var errors = CustomResourceDefinitionValidation.Validate(CronTabDefinition.With(c => c.Spec()["names"]!["kind"] = "Cron.Tab"));
        var cause = Assert.Single(errors, e => e.Field == "spec.names.kind");
        Assert.StartsWith("Invalid value: \"Cron.Tab\": may have mixed case, but should otherwise match: a DNS-1035 label", cause.Message);
    }

    [Fact]
    public void Kind_and_list_kind_differ() =>
        AssertCause(c => c.Spec()["names"]!["listKind"] = "CronTab", "spec.names.listKind", "Invalid value: \"CronTab\": kind and listKind may not be the same");

    [Fact]
    public void Short_names_and_categories_are_labels()
    {
        var errors = CustomResourceDefinitionValidation.Validate(CronTabDefinition.With(c =>
        {
            c.Spec()["names"]!["shortNames"] = new JsonArray("ct", "C T");
            c.Spec()["names"]!["categories"] = new JsonArray("All");
        }));
        Assert.Contains(errors, e => e.Field == "spec.names.shortNames[1]");
        Assert.Contains(errors, e => e.Field == "spec.names.categories[0]");
    }

    [Fact]
    public void Singular_and_list_kind_default_from_kind()
    {
        var names = CustomResourceNames.FromDefinition(CronTabDefinition.Parse());
        Assert.Equal("crontab", names.Singular);
        Assert.Equal("CronTabList", names.ListKind);
    }

    [Fact]
    public void Exactly_one_storage_version()
    {
        var both = CronTabDefinition.With(c => c.Version(1)["storage"] = true);
        Assert.Contains(CustomResourceDefinitionValidation.Validate(both), e => e.Field == "spec.versions" && e.Message.EndsWith(": must have exactly one version marked as storage version", StringComparison.Ordinal));

        var none = CronTabDefinition.With(c => c.Spec()["versions"] = new JsonArray());
        Assert.Contains(CustomResourceDefinitionValidation.Validate(none), e => e.Field == "spec.versions" && e.Message.EndsWith(": must have exactly one version marked as storage version", StringComparison.Ordinal));
    }

    [Fact]
    public void Version_names_are_unique_labels()
    {
        var duplicate = CronTabDefinition.With(c => c.Version(1)["name"] = "v1");
        Assert.Contains(CustomResourceDefinitionValidation.Validate(duplicate), e => e.Field == "spec.versions" && e.Message.EndsWith(": must contain unique version names", StringComparison.Ordinal));

        var bad = CronTabDefinition.With(c => c.Version(1)["name"] = "1beta");
        Assert.Contains(CustomResourceDefinitionValidation.Validate(bad), e => e.Field == "spec.versions[1].name" && e.Message.Contains("DNS-1035", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_version_needs_a_schema() =>
        AssertCause(c => c.Version(1).Remove("schema"), "spec.versions[1].schema.openAPIV3Schema", "Required value: schemas are required");

    [Fact]
    public void Preserve_unknown_fields_must_be_false() =>
        AssertCause(c => c.Spec()["preserveUnknownFields"] = true, "spec.preserveUnknownFields",
            "Invalid value: true: cannot set to true, set x-kubernetes-preserve-unknown-fields to true in openAPIV3Schema instead");

    private const string Schema = "spec.versions[0].schema.openAPIV3Schema";

    [Fact]
    public void Every_field_has_a_type() =>
        AssertCause(c => c.SpecSchema()["properties"]!["image"]!.AsObject().Remove("type"),
            $"{Schema}.properties[spec].properties[image].type", "Required value: must not be empty for specified object fields");

    [Fact]
    public void Array_items_have_a_type() =>
        AssertCause(c => c.SpecSchema()["properties"]!["env"]!["items"]!.AsObject().Remove("type"),
            $"{Schema}.properties[spec].properties[env].items.type", "Required value: must not be empty for specified array items");

    [Fact]
    public void The_root_has_a_type() =>
        AssertCause(c => c.Schema().Remove("type"), $"{Schema}.type", "Required value: must not be empty at the root");

    [Fact]
    public void The_root_is_an_object() =>
        AssertCause(c => c.Schema(1)["type"] = "string", "spec.versions[1].schema.openAPIV3Schema.type", "Invalid value: \"string\": must be object at the root");

    [Fact]
    public void Types_are_the_openapi_ones() =>
        AssertCause(c => c.SpecSchema()["properties"]!["image"]!["type"] = "text",
            $"{Schema}.properties[spec].properties[image].type",
            "Unsupported value: \"text\": supported values: \"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\"");

    [Fact]
    public void Arrays_have_items() =>
        AssertCause(c => c.SpecSchema()["properties"]!["env"]!.AsObject().Remove("items"),
            $"{Schema}.properties[spec].properties[env].items", "Required value: must be specified");

    [Fact]
    public void Properties_and_additional_properties_are_exclusive() =>
        AssertCause(c => c.SpecSchema()["additionalProperties"] = new JsonObject { ["type"] = "string" },
            $"{Schema}.properties[spec].additionalProperties", "Forbidden: additionalProperties and properties are mutual exclusive");

    [Fact]
    public void Additional_properties_true_beside_properties_is_allowed() =>
        Assert.Empty(CustomResourceDefinitionValidation.Validate(CronTabDefinition.With(c => c.SpecSchema()["additionalProperties"] = true)));

    [Fact]
    public void Metadata_may_only_restrict_the_name()
    {
        var nameOnly = CronTabDefinition.With(c => c.Schema()["properties"]!["metadata"] = JsonNode.Parse("""{"type":"object","properties":{"name":{"type":"string","maxLength":20}}}"""));
        Assert.Empty(CustomResourceDefinitionValidation.Validate(nameOnly));

        AssertCause(c => c.Schema()["properties"]!["metadata"] = JsonNode.Parse("""{"type":"object","properties":{"labels":{"type":"object"}}}"""),
            $"{Schema}.properties[metadata]", "Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified");
    }

    [Fact]
    public void Kind_and_api_version_are_strings() =>
        AssertCause(c => c.Schema()["properties"]!["kind"] = JsonNode.Parse("""{"type":"integer"}"""),
            $"{Schema}.properties[kind].type", "Invalid value: \"integer\": must be string");

    [Fact]
    public void Nullable_is_forbidden_at_the_root() =>
        AssertCause(c => c.Schema()["nullable"] = true, $"{Schema}.nullable", "Forbidden: nullable cannot be true at the root");

    [Fact]
    public void Only_some_keywords_at_the_root_with_the_status_subresource()
    {
        var errors = CustomResourceDefinitionValidation.Validate(CronTabDefinition.With(c => c.Schema()["x-kubernetes-map-type"] = "atomic"));
        var cause = Assert.Single(errors, e => e.Field == Schema);
        Assert.EndsWith("fields are allowed at the root of the schema if the status subresource is enabled", cause.Message);
    }

    [Fact]
    public void Int_or_string_is_written_with_any_of_but_types_inside_junctors_are_forbidden()
    {
        Assert.Empty(CustomResourceDefinitionValidation.Validate(CronTabDefinition.Parse()));
        AssertCause(c => c.SpecSchema()["properties"]!["image"]!["anyOf"] = JsonNode.Parse("""[{"type":"string"}]"""),
            $"{Schema}.properties[spec].properties[image].anyOf[0].type", "Forbidden: must be empty to be structural");
    }

    [Fact]
    public void Value_validations_may_not_name_metadata() =>
        AssertCause(c => c.SpecSchema()["allOf"] = JsonNode.Parse("""[{"properties":{"metadata":{"required":["x"]}}}]"""),
            $"{Schema}.properties[spec].allOf[0].properties[metadata]", "Forbidden: must not be specified in a nested context");

    [Fact]
    public void Int_or_string_excludes_preserve_unknown_fields() =>
        AssertCause(c => c.SpecSchema()["properties"]!["port"]!["x-kubernetes-preserve-unknown-fields"] = true,
            $"{Schema}.properties[spec].properties[port].x-kubernetes-preserve-unknown-fields", "Invalid value: true: must be false if x-kubernetes-int-or-string is true");

    [Fact]
    public void Embedded_resources_are_objects() =>
        AssertCause(c => c.SpecSchema()["properties"]!["image"]!["x-kubernetes-embedded-resource"] = true,
            $"{Schema}.properties[spec].properties[image].type", "Invalid value: \"string\": must be object if x-kubernetes-embedded-resource is true");

    [Fact]
    public void Refs_and_unique_items_are_refused()
    {
        AssertCause(c => c.SpecSchema()["properties"]!["image"]!["$ref"] = "#/definitions/x",
            $"{Schema}.properties[spec].properties[image].$ref", "Forbidden: $ref is not supported");
        AssertCause(c => c.SpecSchema()["properties"]!["env"]!["uniqueItems"] = true,
            $"{Schema}.properties[spec].properties[env].uniqueItems", "Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic");
    }

    [Fact]
    public void List_map_keys_need_list_type_map()
    {
        AssertCause(c => c.SpecSchema()["properties"]!["env"]!.AsObject().Remove("x-kubernetes-list-map-keys"),
            $"{Schema}.properties[spec].properties[env].x-kubernetes-list-map-keys", "Required value: must not be empty if x-kubernetes-list-type is map");
        AssertCause(c => c.SpecSchema()["properties"]!["env"]!["x-kubernetes-list-type"] = "atomic",
            $"{Schema}.properties[spec].properties[env].x-kubernetes-list-map-keys", "Forbidden: may only be set if x-kubernetes-list-type is map");
        AssertCause(c => c.SpecSchema()["properties"]!["env"]!["x-kubernetes-list-map-keys"] = new JsonArray("key"),
            $"{Schema}.properties[spec].properties[env].x-kubernetes-list-map-keys", "Invalid value: [\"key\"]: entries must all be names of item properties");
        AssertCause(c => c.SpecSchema()["properties"]!["env"]!["x-kubernetes-list-type"] = "bag",
            $"{Schema}.properties[spec].properties[env].x-kubernetes-list-type", "Unsupported value: \"bag\": supported values: \"atomic\", \"map\", \"set\"");
        AssertCause(c => c.SpecSchema()["properties"]!["image"]!["x-kubernetes-list-type"] = "set",
            $"{Schema}.properties[spec].properties[image].type", "Invalid value: \"string\": must be array if x-kubernetes-list-type is specified");
    }

    [Fact]
    public void Map_type_applies_to_objects() =>
        AssertCause(c => c.SpecSchema()["properties"]!["image"]!["x-kubernetes-map-type"] = "atomic",
            $"{Schema}.properties[spec].properties[image].type", "Invalid value: \"string\": must be object if x-kubernetes-map-type is specified");

    [Fact]
    public void Patterns_must_compile() =>
        Assert.Contains(CustomResourceDefinitionValidation.Validate(CronTabDefinition.With(c => c.SpecSchema()["properties"]!["image"]!["pattern"] = "([a-z")),
            e => e.Field == $"{Schema}.properties[spec].properties[image].pattern" && e.Message.Contains("must be a valid regular expression", StringComparison.Ordinal));

    [Fact]
    public void Defaults_must_fit_their_schema()
    {
        AssertCause(c => c.SpecSchema()["properties"]!["replicas"]!["default"] = 0,
            $"{Schema}.properties[spec].properties[replicas].default", "Invalid value: 0: default in body should be greater than or equal to 1");
        var errors = CustomResourceDefinitionValidation.Validate(CronTabDefinition.With(c => c.SpecSchema()["properties"]!["concurrencyPolicy"]!["default"] = "Never"));
        Assert.Contains(errors, e => e.Field == $"{Schema}.properties[spec].properties[concurrencyPolicy].default" && e.Reason == "FieldValueNotSupported");
    }

    [Fact]
    public void Scale_paths_are_under_spec_and_status()
    {
        const string Scale = "spec.versions[0].subresources.scale";
        AssertCause(c => c.Version()["subresources"]!["scale"]!["specReplicasPath"] = ".status.replicas",
            $"{Scale}.specReplicasPath", "Invalid value: \".status.replicas\": should be a json path under .spec");
        AssertCause(c => c.Version()["subresources"]!["scale"]!["statusReplicasPath"] = "status.replicas",
            $"{Scale}.statusReplicasPath", "Invalid value: \"status.replicas\": must be a simple json path starting with .");
        AssertCause(c => c.Version()["subresources"]!["scale"]!.AsObject().Remove("statusReplicasPath"),
            $"{Scale}.statusReplicasPath", "Required value");
        AssertCause(c => c.Version()["subresources"]!["scale"]!["labelSelectorPath"] = ".metadata.labels",
            $"{Scale}.labelSelectorPath", "Invalid value: \".metadata.labels\": should be a json path under either .spec or .status");
    }

    [Fact]
    public void Printer_columns_need_a_name_a_known_type_and_a_path()
    {
        const string Column = "spec.versions[0].additionalPrinterColumns[0]";
        AssertCause(c => c.Version()["additionalPrinterColumns"]![0]!.AsObject().Remove("name"), $"{Column}.name", "Required value");
        AssertCause(c => c.Version()["additionalPrinterColumns"]![0]!["type"] = "time",
            $"{Column}.type", "Invalid value: \"time\": must be one of boolean,date,integer,number,string");
        AssertCause(c => c.Version()["additionalPrinterColumns"]![0]!.AsObject().Remove("type"),
            $"{Column}.type", "Required value: must be one of boolean,date,integer,number,string");
        AssertCause(c => c.Version()["additionalPrinterColumns"]![0]!["format"] = "uuid",
            $"{Column}.format", "Invalid value: \"uuid\": must be one of byte,date,date-time,double,float,int32,int64,password");
        AssertCause(c => c.Version()["additionalPrinterColumns"]![0]!.AsObject().Remove("jsonPath"), $"{Column}.JSONPath", "Required value");
        AssertCause(c => c.Version()["additionalPrinterColumns"]![0]!["jsonPath"] = "spec.cronSpec",
            $"{Column}.JSONPath", "Invalid value: \"spec.cronSpec\": must be a simple json path starting with .");
    }
}
