using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

/// <summary>apiextensions.k8s.io/v1 CustomResourceDefinition: declares a new kind served by the API.</summary>
public static class CustomResourceDefinitionKind
{
    /// <summary>The names of a custom resource (spec.names and status.acceptedNames).</summary>
    public static SchemaNode Names { get; } = Schemas.Object(
        "Names the custom resource is served under.",
        ("plural", Schemas.String("Resource name in URLs, lowercase; the CRD is named <plural>.<group>.")),
        ("singular", Schemas.String("Singular name, lowercase; the lowercased kind when unset.")),
        ("shortNames", Schemas.ListOf(Schemas.String(), "Short names for kubectl, lowercase.")),
        ("kind", Schemas.String("Kind of the objects, CamelCase.")),
        ("listKind", Schemas.String("Kind of lists; <kind>List when unset.")),
        ("categories", Schemas.ListOf(Schemas.String(), "Groups of resources the kind belongs to, e.g. all.")))
        .Require("plural", "kind");

    private static SchemaNode Version { get; } = Schemas.Object(
        "One version of the custom resource.",
        ("name", Schemas.String("Version name, e.g. v1 or v1beta1; appears in the apiVersion.")),
        ("served", Schemas.Boolean("Whether the version is served by the API.")),
        ("storage", Schemas.Boolean("Whether objects are stored in this version; exactly one version is.")),
        ("deprecated", Schemas.Boolean("Whether requests to this version get a deprecation warning.")),
        ("deprecationWarning", Schemas.String("Warning returned instead of the default one.")),
        ("schema", Schemas.Object(
            "Schema of the objects of this version.",
            ("openAPIV3Schema", Schemas.Any("OpenAPI v3 schema (JSONSchemaProps) used for validation, pruning and defaulting.")))),
        ("subresources", Schemas.Object(
            "Subresources of this version.",
            ("status", Schemas.Object("When present (as an empty object), enables the /status subresource.")),
            ("scale", Schemas.Object(
                "When present, enables the /scale subresource.",
                ("specReplicasPath", Schemas.String("JSON path of the wanted replicas, under .spec.")),
                ("statusReplicasPath", Schemas.String("JSON path of the observed replicas, under .status.")),
                ("labelSelectorPath", Schemas.String("JSON path of the serialized label selector, under .spec or .status.")))
                .Require("specReplicasPath", "statusReplicasPath")))),
        ("additionalPrinterColumns", Schemas.ListOf(
            Schemas.Object(
                "A column of kubectl get.",
                ("name", Schemas.String("Column header.")),
                ("type", Schemas.String("OpenAPI type of the values: integer, number, string, boolean or date.")),
                ("format", Schemas.String("OpenAPI format of the values, e.g. int32 or byte.")),
                ("description", Schemas.String("What the column shows.")),
                ("priority", Schemas.Int32("0 for the default view, higher for -o wide.")),
                ("jsonPath", Schemas.String("Simple JSON path evaluated on each object for the value.")))
                .Require("name", "type", "jsonPath"),
            "Extra table columns; the default is an Age column.")),
        ("selectableFields", Schemas.ListOf(
            Schemas.Object(
                "A field usable in field selectors.",
                ("jsonPath", Schemas.String("Simple JSON path to a string, integer or boolean field.")))
                .Require("jsonPath"),
            "Fields that may be used in field selectors, at most 8.")))
        .Require("name", "served", "storage");

    private static SchemaNode Conversion { get; } = Schemas.Object(
        "How objects are converted between versions.",
        ("strategy", Schemas.Enum("None (only apiVersion changes) or Webhook.", "None", "Webhook")),
        ("webhook", Schemas.Object(
            "The conversion webhook, for strategy Webhook.",
            ("clientConfig", Schemas.Object(
                "How to call the webhook.",
                ("url", Schemas.String("HTTPS URL of the webhook.")),
                ("service", Schemas.Object(
                    "A service in the cluster that serves the webhook.",
                    ("namespace", Schemas.String("Namespace of the service.")),
                    ("name", Schemas.String("Name of the service.")),
                    ("path", Schemas.String("URL path sent with requests.")),
                    ("port", Schemas.Int32("Port of the service.").WithDefault(JsonValue.Create(443))))
                    .Require("namespace", "name")),
                ("caBundle", Schemas.Bytes("PEM CA bundle to verify the webhook's certificate; system roots when unset.")))),
            ("conversionReviewVersions", Schemas.ListOf(Schemas.String(), "ConversionReview versions the webhook accepts, preferred first.")))
            .Require("conversionReviewVersions")))
        .Require("strategy");

    /// <summary>The CRD spec.</summary>
    public static SchemaNode Spec { get; } = Schemas.Object(
        "The custom resource to serve.",
        ("group", Schemas.String("API group of the resource.")),
        ("names", Names.Describe("Names the resource is served under.")),
        ("scope", Schemas.Enum("Cluster or Namespaced.", "Cluster", "Namespaced")),
        ("versions", Schemas.ListOf(Version, "Versions served, most preferred first by version priority.")),
        ("conversion", Conversion.WithDefault(new JsonObject { ["strategy"] = "None" })),
        ("preserveUnknownFields", Schemas.Boolean("Deprecated: true keeps fields the schema does not declare; must be false in v1 schemas.")))
        .Require("group", "names", "scope", "versions");

    /// <summary>The CRD status.</summary>
    public static SchemaNode Status { get; } = Schemas.Object(
        "What the CRD is now.",
        ("conditions", ConditionSchemas.Keyed(
            ConditionSchemas.Condition("One aspect of the CRD's state: Established, NamesAccepted, NonStructuralSchema, Terminating, KubernetesAPIApprovalPolicyConformant.", "lastTransitionTime"),
            "Latest observations about the CRD.")),
        ("acceptedNames", Names.Describe("Names actually served; may differ from spec.names when those conflict.")),
        ("storedVersions", Schemas.ListOf(Schemas.String(), "Versions objects have ever been stored in.")));

    /// <summary>The CustomResourceDefinition kind.</summary>
    public static KindDefinition Definition { get; } = new()
    {
        Group = "apiextensions.k8s.io",
        Version = "v1",
        Kind = "CustomResourceDefinition",
        Plural = "customresourcedefinitions",
        Singular = "customresourcedefinition",
        Namespaced = false,
        ShortNames = ["crd", "crds"],
        Categories = ["api-extensions"],
        Subresources = ["status"],
        Schema = MetaSchemas.KindObject(
            "Declares a custom resource that the API then serves. Its name must be <plural>.<group>.",
            ("spec", Spec),
            ("status", Status))
            .Require("spec"),
        PrinterColumns =
        [
            // apiextensions-apiserver uses the default table: name and creation time as an RFC 3339 date.
            new()
            {
                Name = "Created At",
                Type = "date",
                Description = "When the object was created.",
                Cell = (obj, _) => TableCells.Time(obj, "metadata", "creationTimestamp")?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            },
        ],
    };
}
