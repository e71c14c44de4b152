namespace EdgeCloud.Kube.Selectors;

/// <summary>
/// One term of a field selector: a field, <see cref="SelectorOperator.Equals"/> or <see cref="SelectorOperator.NotEquals"/>,
/// and the unescaped value. A missing field has the value "", so <c>f!=x</c> selects objects without it.
/// </summary>
/// <param name="Field">The field label, e.g. <c>spec.nodeName</c>.</param>
/// <param name="Operator"><see cref="SelectorOperator.Equals"/> (written <c>=</c> or <c>==</c>) or <see cref="SelectorOperator.NotEquals"/>.</param>
/// <param name="Value">The value, unescaped.</param>
public sealed record FieldRequirement(string Field, SelectorOperator Operator, string Value)
{
    /// <summary>True when a field whose value is <paramref name="actual"/> ("" when missing) satisfies the term.</summary>
    public bool Matches(string actual) =>
        string.Equals(actual, Value, StringComparison.Ordinal) == (Operator != SelectorOperator.NotEquals);

    /// <summary>The term as kube-apiserver prints it: <c>field=value</c> or <c>field!=value</c>, the value escaped.</summary>
    public override string ToString() =>
        Field + (Operator == SelectorOperator.NotEquals ? "!=" : "=") + FieldSelector.EscapeValue(Value);
}
