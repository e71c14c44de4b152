namespace EdgeCloud.Kube.Api;

/// <summary>One entry of metav1.Status details.causes: which field is wrong and why.</summary>
/// <param name="Reason">Machine-readable cause, e.g. "FieldValueRequired", "FieldValueInvalid", "FieldManagerConflict".</param>
/// <param name="Message">What is wrong, for humans.</param>
/// <param name="Field">The field path, e.g. "metadata.name" or "spec.containers[0].image".</param>
public sealed record StatusCause(string Reason, string Message, string Field);
