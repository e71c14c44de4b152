namespace EdgeCloud.Controllers.Scheduling;

/// <summary>The operators of a node selector requirement (core/v1 NodeSelectorOperator).</summary>
public enum NodeSelectorOperator
{
    /// <summary>The label's value is one of the values.</summary>
    In,

    /// <summary>The label is absent, or its value is none of the values.</summary>
    NotIn,

    /// <summary>The label is present.</summary>
    Exists,

    /// <summary>The label is absent.</summary>
    DoesNotExist,

    /// <summary>The label is an integer greater than the single value.</summary>
    Gt,

    /// <summary>The label is an integer less than the single value.</summary>
    Lt,
}
