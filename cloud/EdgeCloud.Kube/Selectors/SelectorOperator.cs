namespace EdgeCloud.Kube.Selectors;

/// <summary>
/// The operators of a selector requirement (k8s.io/apimachinery/pkg/selection). Label selectors use all of them;
/// field selectors only <see cref="Equals"/> and <see cref="NotEquals"/>.
/// </summary>
public enum SelectorOperator
{
    /// <summary><c>key=value</c>.</summary>
    Equals,

    /// <summary><c>key==value</c>: the same test as <see cref="Equals"/>, kept apart only so that printing gives back what was written.</summary>
    DoubleEquals,

    /// <summary><c>key!=value</c>; also true when the key is absent.</summary>
    NotEquals,

    /// <summary><c>key in (a,b)</c>.</summary>
    In,

    /// <summary><c>key notin (a,b)</c>; also true when the key is absent.</summary>
    NotIn,

    /// <summary><c>key</c>: the key is present, whatever its value.</summary>
    Exists,

    /// <summary><c>!key</c>: the key is absent.</summary>
    DoesNotExist,

    /// <summary><c>key&gt;N</c>: the value is an integer greater than N.</summary>
    GreaterThan,

    /// <summary><c>key&lt;N</c>: the value is an integer less than N.</summary>
    LessThan,
}
