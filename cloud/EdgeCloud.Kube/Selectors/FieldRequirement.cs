namespace EdgeCloud.Kube.Selectors;

/// <summary>One term of a field selector: field, "=" or "!=", and the unescaped value.</summary>
/// <param name="Field">The field label, e.g. "spec.nodeName".</param>
/// <param name="Operator">"=" or "!=".</param>
/// <param name="Value">The value compared with.</param>
public sealed record FieldRequirement(string Field, string Operator, string Value);
