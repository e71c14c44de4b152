using System.Text.Json.Nodes;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.CustomResources;

/// <summary>
/// The kinds a CustomResourceDefinition serves: one <see cref="KindDefinition"/> per version, built from the
/// CRD's names, scope, schema, subresources and printer columns. Expects a CRD that passed
/// <see cref="CustomResourceDefinitionValidation.Validate"/>.
/// </summary>
public static class CustomResourceKinds
{
    /// <summary>The kinds of the served versions, in spec.versions order.</summary>
    public static IReadOnlyList<KindDefinition> FromDefinition(JsonObject crd) =>
        [.. Versions(crd).Where(static v => v.Served).Select(static v => v.Kind)];

    /// <summary>Every version of the CRD, served or not, with its kind, storage flag and scale paths.</summary>
    public static IReadOnlyList<CustomResourceVersion> Versions(JsonObject crd)
    {
        ArgumentNullException.ThrowIfNull(crd);
        var spec = CrdJson.Object(crd, "spec");
        var group = CrdJson.String(spec, "group") ?? "";
        var names = CustomResourceNames.FromDefinition(crd);
        var namespaced = CrdJson.String(spec, "scope") != "Cluster";
        var versions = new List<CustomResourceVersion>();
        foreach (var version in (CrdJson.Array(spec, "versions") ?? []).OfType<JsonObject>())
        {
            var name = CrdJson.String(version, "name") ?? "";
            var subresources = CrdJson.Object(version, "subresources");
            var scale = Scale(CrdJson.Object(subresources, "scale"));
            var schema = CrdJson.Object(CrdJson.Object(version, "schema"), "openAPIV3Schema") is { } openApi
                ? CrdSchemaConverter.ToKindSchema(openApi)
                // Only a version that is not served may lack a schema; its objects are never validated here.
                : MetaSchemas.KindObject(names.Kind) with { PreserveUnknownFields = true };

            List<string> declared = [];
            if (CrdJson.Has(subresources, "status"))
            {
                declared.Add("status");
            }

            if (scale is not null)
            {
                declared.Add("scale");
            }

            var deprecated = CrdJson.Bool(version, "deprecated");
            versions.Add(new CustomResourceVersion
            {
                Name = name,
                Served = CrdJson.Bool(version, "served"),
                Storage = CrdJson.Bool(version, "storage"),
                Deprecated = deprecated,
                // kube-apiserver's default warning when deprecationWarning is unset: "<group>/<version> <Kind> is deprecated".
                DeprecationWarning = deprecated ? CrdJson.String(version, "deprecationWarning") ?? $"{group}/{name} {names.Kind} is deprecated" : null,
                Scale = scale,
                Kind = new KindDefinition
                {
                    Group = group,
                    Version = name,
                    Kind = names.Kind,
                    Plural = names.Plural,
                    Singular = names.Singular,
                    Namespaced = namespaced,
                    Schema = schema,
                    ShortNames = names.ShortNames,
                    Categories = names.Categories,
                    Subresources = declared,
                    PrinterColumns = CustomResourceColumns.FromVersion(version),
                    // Custom resource names only have to be usable as a path segment (apiextensions' custom
                    // resource strategy validates names with path.ValidatePathSegmentName).
                    NameRule = ObjectNameRule.PathSegment,
                },
            });
        }

        return versions;
    }

    /// <summary>The name of the version objects are stored in, or null when no version is marked storage.</summary>
    public static string? StorageVersion(JsonObject crd) => Versions(crd).FirstOrDefault(static v => v.Storage)?.Name;

    private static CustomResourceScale? Scale(JsonObject? scale)
    {
        if (scale is null
            || !CustomResourceJsonPath.TryParse(CrdJson.String(scale, "specReplicasPath") ?? "", out var spec, out _)
            || !CustomResourceJsonPath.TryParse(CrdJson.String(scale, "statusReplicasPath") ?? "", out var status, out _))
        {
            return null;
        }

        CustomResourceJsonPath? selector = null;
        if (CrdJson.String(scale, "labelSelectorPath") is { Length: > 0 } selectorText)
        {
            CustomResourceJsonPath.TryParse(selectorText, out selector, out _);
        }

        return new CustomResourceScale { SpecReplicasPath = spec!, StatusReplicasPath = status!, LabelSelectorPath = selector };
    }
}
