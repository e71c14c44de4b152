using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.CustomResources;

/// <summary>
/// The checks kube-apiserver makes on an apiextensions.k8s.io/v1 CustomResourceDefinition beyond its schema
/// (apiextensions-apiserver pkg/apis/apiextensions/validation): the name, group, names, scope, versions, each
/// version's structural schema, subresources and printer columns, with upstream's field paths and messages.
/// Conversion webhooks, selectableFields, CEL rules and update-only rules (immutable group, names and scope) are
/// not checked here.
/// </summary>
public static partial class CustomResourceDefinitionValidation
{
    private static readonly string[] Scopes = ["Cluster", "Namespaced"];

    // printerColumnDatatypes and customResourceColumnDefinitionFormats, listed sorted as upstream prints them.
    private static readonly string[] ColumnTypes = ["boolean", "date", "integer", "number", "string"];
    private static readonly string[] ColumnFormats = ["byte", "date", "date-time", "double", "float", "int32", "int64", "password"];

    /// <summary>Every error of <paramref name="crd"/>; empty when the CRD may be created.</summary>
    public static IReadOnlyList<StatusCause> Validate(JsonObject crd)
    {
        ArgumentNullException.ThrowIfNull(crd);
        var errors = new List<StatusCause>();
        var spec = CrdJson.Object(crd, "spec");
        var group = CrdJson.String(spec, "group") ?? "";
        var names = CustomResourceNames.FromDefinition(crd);

        ValidateName(CrdJson.String(CrdJson.Object(crd, "metadata"), "name") ?? "", names.Plural, group, errors);
        ValidateGroup(group, errors);

        var scope = CrdJson.String(spec, "scope") ?? "";
        if (scope.Length == 0)
        {
            errors.Add(FieldErrors.Required("spec.scope"));
        }
        else if (!Scopes.Contains(scope))
        {
            errors.Add(FieldErrors.NotSupported("spec.scope", scope, Scopes));
        }

        ValidateVersions(spec, errors);
        ValidateNames(names, errors);

        if (CrdJson.Bool(spec, "preserveUnknownFields"))
        {
            // apiextensions.k8s.io/v1 refuses the v1beta1 pruning opt-out; the schema says where to keep fields.
            errors.Add(FieldErrors.Invalid("spec.preserveUnknownFields", JsonValue.Create(true),
                "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in openAPIV3Schema instead"));
        }

        return errors;
    }

    private static void ValidateName(string name, string plural, string group, List<StatusCause> errors)
    {
        if (name.Length == 0)
        {
            errors.Add(FieldErrors.Required("metadata.name", "name or generateName is required"));
            return;
        }

        // ValidateObjectMeta reports each message of the name function as its own cause.
        errors.AddRange(ObjectNames.Check(ObjectNameRule.DnsSubdomain, name, "metadata.name", prefix: false));
        if (name != $"{plural}.{group}")
        {
            errors.Add(FieldErrors.Invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        }
    }

    private static void ValidateGroup(string group, List<StatusCause> errors)
    {
        if (group.Length == 0)
        {
            errors.Add(FieldErrors.Required("spec.group"));
        }
        else if (Problems(ObjectNameRule.DnsSubdomain, group) is { Length: > 0 } problems)
        {
            errors.Add(FieldErrors.Invalid("spec.group", group, problems));
        }
        else if (!group.Contains('.', StringComparison.Ordinal))
        {
            // Groups without a dot (apps, batch, policy, ...) belong to the Kubernetes project.
            errors.Add(FieldErrors.Invalid("spec.group", group, "should be a domain with at least one dot"));
        }
    }

    private static void ValidateNames(CustomResourceNames names, List<StatusCause> errors)
    {
        // Required after defaulting: singular and listKind come from kind when unset.
        if (names.Plural.Length == 0)
        {
            errors.Add(FieldErrors.Required("spec.names.plural"));
        }

        if (names.Singular.Length == 0)
        {
            errors.Add(FieldErrors.Required("spec.names.singular"));
        }

        if (names.Kind.Length == 0)
        {
            errors.Add(FieldErrors.Required("spec.names.kind"));
        }

        if (names.ListKind.Length == 0)
        {
            errors.Add(FieldErrors.Required("spec.names.listKind"));
        }

        Label("spec.names.plural", names.Plural, errors);
        Label("spec.names.singular", names.Singular, errors);
        MixedCaseLabel("spec.names.kind", names.Kind, errors);
        MixedCaseLabel("spec.names.listKind", names.ListKind, errors);
        for (var i = 0; i < names.ShortNames.Count; i++)
        {
            Label($"spec.names.shortNames[{i}]", names.ShortNames[i], errors, evenEmpty: true);
        }

        if (names.Kind.Length > 0 && names.Kind == names.ListKind)
        {
            // A list and an item of the same kind could not be told apart when decoding.
            errors.Add(FieldErrors.Invalid("spec.names.listKind", names.ListKind, "kind and listKind may not be the same"));
        }

        for (var i = 0; i < names.Categories.Count; i++)
        {
            Label($"spec.names.categories[{i}]", names.Categories[i], errors, evenEmpty: true);
        }
    }

    private static void Label(string field, string value, List<StatusCause> errors, bool evenEmpty = false)
    {
        if ((value.Length > 0 || evenEmpty) && Problems(ObjectNameRule.Dns1035Label, value) is { Length: > 0 } problems)
        {
            errors.Add(FieldErrors.Invalid(field, value, problems));
        }
    }

    private static void MixedCaseLabel(string field, string value, List<StatusCause> errors)
    {
        // Kinds are CamelCase: upstream checks the lowercased kind as a DNS-1035 label.
        if (value.Length > 0 && Problems(ObjectNameRule.Dns1035Label, value.ToLowerInvariant()) is { Length: > 0 } problems)
        {
            errors.Add(FieldErrors.Invalid(field, value, "may have mixed case, but should otherwise match: " + problems));
        }
    }

    private static void ValidateVersions(JsonObject? spec, List<StatusCause> errors)
    {
        var versions = CrdJson.Array(spec, "versions") ?? [];
        var storage = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unique = true;
        for (var i = 0; i < versions.Count; i++)
        {
            var path = $"spec.versions[{i}]";
            var version = versions[i] as JsonObject;
            var name = CrdJson.String(version, "name") ?? "";
            if (CrdJson.Bool(version, "storage"))
            {
                storage++;
            }

            unique &= seen.Add(name);
            if (Problems(ObjectNameRule.Dns1035Label, name) is { Length: > 0 } problems)
            {
                errors.Add(FieldErrors.Invalid($"{path}.name", name, problems));
            }

            ValidateVersion(version, path, errors);
        }

        if (!unique)
        {
            errors.Add(FieldErrors.Invalid("spec.versions", versions, "must contain unique version names"));
        }

        if (storage != 1)
        {
            errors.Add(FieldErrors.Invalid("spec.versions", versions, "must have exactly one version marked as storage version"));
        }
    }

    private static void ValidateVersion(JsonObject? version, string path, List<StatusCause> errors)
    {
        var subresources = CrdJson.Object(version, "subresources");
        var statusEnabled = CrdJson.Has(subresources, "status");
        if (CrdJson.Object(CrdJson.Object(version, "schema"), "openAPIV3Schema") is { } schema)
        {
            ValidateSchema(schema, $"{path}.schema.openAPIV3Schema", statusEnabled, errors);
        }
        else
        {
            // apiextensions.k8s.io/v1 requires a schema for every version, served or not.
            errors.Add(FieldErrors.Required($"{path}.schema.openAPIV3Schema", "schemas are required"));
        }

        if (CrdJson.Object(subresources, "scale") is { } scale)
        {
            ValidateScale(scale, $"{path}.subresources", errors);
        }

        var columns = CrdJson.Array(version, "additionalPrinterColumns") ?? [];
        for (var i = 0; i < columns.Count; i++)
        {
            ValidateColumn(columns[i] as JsonObject, $"{path}.additionalPrinterColumns[{i}]", errors);
        }
    }

    private static void ValidateScale(JsonObject scale, string path, List<StatusCause> errors)
    {
        ReplicasPath(scale, "specReplicasPath", ".spec.", "should be a json path under .spec", path, errors);
        ReplicasPath(scale, "statusReplicasPath", ".status.", "should be a json path under .status", path, errors);
        if (CrdJson.String(scale, "labelSelectorPath") is { Length: > 0 } selector)
        {
            var field = $"{path}.scale.labelSelectorPath";
            if (!SimpleJsonPath(selector, field, errors)
                && !selector.StartsWith(".spec.", StringComparison.Ordinal) && !selector.StartsWith(".status.", StringComparison.Ordinal))
            {
                errors.Add(FieldErrors.Invalid(field, selector, "should be a json path under either .spec or .status"));
            }
        }
    }

    private static void ReplicasPath(JsonObject scale, string name, string prefix, string message, string path, List<StatusCause> errors)
    {
        var field = $"{path}.scale.{name}";
        var value = CrdJson.String(scale, name) ?? "";
        if (value.Length == 0)
        {
            errors.Add(FieldErrors.Required(field));
        }
        else if (!SimpleJsonPath(value, field, errors) && !value.StartsWith(prefix, StringComparison.Ordinal))
        {
            errors.Add(FieldErrors.Invalid(field, value, message));
        }
    }

    /// <summary>Adds the errors of a simple dot path and returns true when there were any.</summary>
    private static bool SimpleJsonPath(string value, string field, List<StatusCause> errors)
    {
        var before = errors.Count;
        if (value.Length == 0)
        {
            errors.Add(FieldErrors.Invalid(field, value, "must not be empty"));
        }
        else if (value[0] != '.')
        {
            errors.Add(FieldErrors.Invalid(field, value, "must be a simple json path starting with ."));
        }
        else if (value != "." && !CustomResourceJsonPath.TryParse(value, out _, out var problem))
        {
            // Beyond upstream's syntactic check: a path the evaluator cannot read would silently print nothing.
            errors.Add(FieldErrors.Invalid(field, value, $"must be a valid JSON path: {problem}"));
        }

        return errors.Count > before;
    }

    private static void ValidateColumn(JsonObject? column, string path, List<StatusCause> errors)
    {
        if ((CrdJson.String(column, "name") ?? "").Length == 0)
        {
            errors.Add(FieldErrors.Required($"{path}.name"));
        }

        var type = CrdJson.String(column, "type") ?? "";
        var typeMessage = $"must be one of {string.Join(',', ColumnTypes)}";
        if (type.Length == 0)
        {
            errors.Add(FieldErrors.Required($"{path}.type", typeMessage));
        }
        else if (!ColumnTypes.Contains(type))
        {
            errors.Add(FieldErrors.Invalid($"{path}.type", type, typeMessage));
        }

        if (CrdJson.String(column, "format") is { Length: > 0 } format && !ColumnFormats.Contains(format))
        {
            errors.Add(FieldErrors.Invalid($"{path}.format", format, $"must be one of {string.Join(',', ColumnFormats)}"));
        }

        // Upstream names the internal Go field here, so the path reads "JSONPath", not the wire name "jsonPath".
        var jsonPath = CrdJson.String(column, "jsonPath") ?? "";
        if (jsonPath.Length == 0)
        {
            errors.Add(FieldErrors.Required($"{path}.JSONPath"));
        }
        else
        {
            SimpleJsonPath(jsonPath, $"{path}.JSONPath", errors);
        }
    }

    /// <summary>The problems of <paramref name="value"/> under <paramref name="rule"/>, joined by "," as upstream joins them.</summary>
    private static string Problems(ObjectNameRule rule, string value)
    {
        // ObjectNames words each problem as an Invalid cause; the text after its "Invalid value: "x": " prefix is the problem.
        var prefix = $"Invalid value: \"{value}\": ";
        return string.Join(",", ObjectNames.Check(rule, value, "", prefix: false)
            .Select(c => c.Message.StartsWith(prefix, StringComparison.Ordinal) ? c.Message[prefix.Length..] : c.Message));
    }
}
