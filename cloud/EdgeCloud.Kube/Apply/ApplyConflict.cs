namespace EdgeCloud.Kube.Apply;

/// <summary>One field an apply would change that another manager owns.</summary>
public sealed record ApplyConflict
{
    /// <summary>The entry of the manager that owns the field.</summary>
    public required ManagedFieldsEntry Owner { get; init; }

    /// <summary>The contested field.</summary>
    public required FieldPath Path { get; init; }

    /// <summary>The field as the Status cause's <c>field</c> names it, e.g. <c>.spec.replicas</c>.</summary>
    public string Field => Path.ToString();

    /// <summary>The Status cause's <c>message</c>, e.g. <c>conflict with "kubectl-edit" using apps/v1</c>.</summary>
    public string Message => "conflict with " + Owner.Describe();

    /// <summary>The Status cause's <c>reason</c>.</summary>
    public const string Reason = "FieldManagerConflict";
}
