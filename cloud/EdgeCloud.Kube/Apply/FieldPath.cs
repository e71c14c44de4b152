using System.Collections;

namespace EdgeCloud.Kube.Apply;

/// <summary>
/// A path from the root of an object to one field, list item or set value, e.g.
/// <c>.spec.template.spec.containers[name="web"].image</c>. The empty path is the object itself.
/// </summary>
public sealed class FieldPath : IReadOnlyList<PathElement>, IEquatable<FieldPath>
{
    private readonly PathElement[] _elements;

    /// <summary>A path made of <paramref name="elements"/>, outermost first.</summary>
    public FieldPath(IEnumerable<PathElement> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        _elements = [.. elements];
    }

    /// <summary>The empty path: the object itself.</summary>
    public static FieldPath Root { get; } = new([]);

    /// <summary>A path of struct fields or map keys only, e.g. <c>FieldPath.Of("spec", "replicas")</c>.</summary>
    public static FieldPath Of(params string[] fieldNames) => new(fieldNames.Select(PathElement.Field));

    /// <inheritdoc />
    public int Count => _elements.Length;

    /// <inheritdoc />
    public PathElement this[int index] => _elements[index];

    /// <summary>This path with <paramref name="element"/> appended.</summary>
    public FieldPath Append(PathElement element) => new([.. _elements, element]);

    /// <summary>The path as upstream prints it in conflicts and status causes, e.g. <c>.spec.replicas</c>.</summary>
    public override string ToString() => string.Concat(_elements.Select(element => element.ToString()));

    /// <inheritdoc />
    public bool Equals(FieldPath? other) => other is not null && _elements.AsSpan().SequenceEqual(other._elements);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FieldPath);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var element in _elements)
        {
            hash.Add(element);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public IEnumerator<PathElement> GetEnumerator() => ((IEnumerable<PathElement>)_elements).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
