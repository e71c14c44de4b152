using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Kube.Validation;

/// <summary>
/// What every create, update and patch does to the object before it is stored, in kube-apiserver's order:
/// defaulting, schema validation (unknown fields handled per <see cref="FieldValidation"/>), name rules. Nothing is
/// stored when this throws, so a refused request never leaves a partial object.
/// </summary>
public static class ObjectAdmission
{
    /// <summary>
    /// Defaults and validates <paramref name="obj"/> in place. Returns the warnings to send (Warn mode); throws 400
    /// for unknown fields under Strict and 422 Invalid with one cause per broken rule.
    /// </summary>
    public static IReadOnlyList<string> Prepare(KindDefinition kind, JsonObject obj, FieldValidation validation)
    {
        SchemaDefaults.Apply(obj, kind.Schema);
        kind.Defaulting?.Invoke(obj);
        var check = SchemaValidator.Check(obj, kind.Schema);
        if (check.UnknownFields.Count > 0 && validation == FieldValidation.Strict)
        {
            throw KubeApiException.BadRequest(SchemaValidator.StrictMessage(check.UnknownFields));
        }

        var causes = new List<StatusCause>(check.Errors);
        try
        {
            ObjectNames.Validate(kind, obj);
        }
        catch (KubeApiException invalid) when (invalid.Details is { } details)
        {
            causes.AddRange(details.Causes);
        }

        if (causes.Count > 0)
        {
            throw KubeApiException.Invalid(kind.Group, kind.Kind, obj.Metadata().GetString("name") ?? "", causes);
        }

        return validation == FieldValidation.Warn ? [.. check.UnknownFields.Select(static f => $"unknown field \"{f}\"")] : [];
    }

    /// <summary>Parses the fieldValidation query value; empty means the server default, Warn.</summary>
    public static FieldValidation ParseFieldValidation(string? value) => value switch
    {
        null or "" or "Warn" => FieldValidation.Warn,
        "Strict" => FieldValidation.Strict,
        "Ignore" => FieldValidation.Ignore,
        _ => throw KubeApiException.BadRequest($"fieldValidation parameter unsupported: {value} (use Ignore, Warn or Strict)"),
    };
}
