namespace EdgeCloud.Kube.Validation;

/// <summary>
/// The fieldValidation query parameter: what the server does with fields the schema does not know
/// (Kubernetes API concepts, "Field validation"). The server default is <see cref="Warn"/>; kubectl sends Strict.
/// </summary>
public enum FieldValidation
{
    /// <summary>Drop unknown fields silently.</summary>
    Ignore,

    /// <summary>Drop unknown fields and report each in a Warning header.</summary>
    Warn,

    /// <summary>Refuse the request (400) when any unknown field is present.</summary>
    Strict,
}
