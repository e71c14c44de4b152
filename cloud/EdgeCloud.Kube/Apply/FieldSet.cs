namespace EdgeCloud.Kube.Apply;

/// <summary>
/// A set of field paths stored as a trie, as structured-merge-diff's fieldpath.Set: at each level the
/// <em>members</em> are the elements owned as a whole (leaves, list items, map entries) and the <em>children</em>
/// hold the paths below an element. An element may be both (a list item and its fields), which fieldsV1 writes
/// as <c>".": {}</c>. Mutable through <see cref="Insert"/>; the set operations return new sets.
/// </summary>
public sealed partial class FieldSet : IEquatable<FieldSet>
{
    private readonly SortedSet<PathElement> _members = [];
    private readonly SortedDictionary<PathElement, FieldSet> _children = [];

    /// <summary>A new empty set.</summary>
    public FieldSet()
    {
    }

    /// <summary>A set holding <paramref name="paths"/>.</summary>
    public FieldSet(IEnumerable<FieldPath> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            Insert(path);
        }
    }

    /// <summary>True when the set holds no path.</summary>
    public bool IsEmpty => _members.Count == 0 && _children.Values.All(child => child.IsEmpty);

    /// <summary>Every path of the set, members of a level before the paths below it, each level in sorted order.</summary>
    public IEnumerable<FieldPath> Paths => Iterate([]);

    /// <summary>The paths of the set that have nothing below them (fields and items owned as a whole).</summary>
    public IEnumerable<FieldPath> Leaves => Paths.Where(path => !HasChildrenAt(path));

    /// <summary>Adds <paramref name="path"/>. The empty path is ignored: the object itself is never owned.</summary>
    public void Insert(FieldPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Count == 0)
        {
            return;
        }

        var level = this;
        for (var i = 0; i < path.Count - 1; i++)
        {
            level = level.ChildOrAdd(path[i]);
        }

        level._members.Add(path[^1]);
    }

    /// <summary>True when <paramref name="path"/> is a member of the set (not merely a prefix of one).</summary>
    public bool Has(FieldPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Count == 0)
        {
            return false;
        }

        var level = this;
        for (var i = 0; i < path.Count - 1; i++)
        {
            if (!level._children.TryGetValue(path[i], out var child))
            {
                return false;
            }

            level = child;
        }

        return level._members.Contains(path[^1]);
    }

    /// <summary>The paths below <paramref name="element"/>, relative to it; empty when there are none.</summary>
    public FieldSet WithPrefix(PathElement element) =>
        _children.TryGetValue(element, out var child) ? child : new FieldSet();

    /// <summary>Paths in this set or in <paramref name="other"/>.</summary>
    public FieldSet Union(FieldSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = Copy();
        result.UnionWith(other);
        return result;
    }

    /// <summary>
    /// Paths in this set and not in <paramref name="other"/>. Not recursive: removing a path keeps the paths below
    /// it, as upstream's Set.Difference.
    /// </summary>
    public FieldSet Difference(FieldSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = new FieldSet();
        result._members.UnionWith(_members.Where(member => !other._members.Contains(member)));
        foreach (var (element, child) in _children)
        {
            var remaining = other._children.TryGetValue(element, out var otherChild) ? child.Difference(otherChild) : child.Copy();
            result.AddChild(element, remaining);
        }

        return result;
    }

    /// <summary>Paths in this set that <paramref name="other"/> neither holds nor holds an ancestor of.</summary>
    public FieldSet RecursiveDifference(FieldSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = new FieldSet();
        result._members.UnionWith(_members.Where(member => !other._members.Contains(member)));
        foreach (var (element, child) in _children)
        {
            if (other._members.Contains(element))
            {
                continue;
            }

            var remaining = other._children.TryGetValue(element, out var otherChild) ? child.RecursiveDifference(otherChild) : child.Copy();
            result.AddChild(element, remaining);
        }

        return result;
    }

    /// <summary>Paths in both this set and <paramref name="other"/>.</summary>
    public FieldSet Intersection(FieldSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = new FieldSet();
        result._members.UnionWith(_members.Where(other._members.Contains));
        foreach (var (element, child) in _children)
        {
            if (other._children.TryGetValue(element, out var otherChild))
            {
                result.AddChild(element, child.Intersection(otherChild));
            }
        }

        return result;
    }

    /// <inheritdoc />
    public bool Equals(FieldSet? other)
    {
        if (other is null)
        {
            return false;
        }

        var mine = Normalized();
        var theirs = other.Normalized();
        return mine._members.SetEquals(theirs._members)
            && mine._children.Count == theirs._children.Count
            && mine._children.All(pair => theirs._children.TryGetValue(pair.Key, out var child) && pair.Value.Equals(child));
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FieldSet);

    /// <inheritdoc />
    public override int GetHashCode() => ToFieldsV1().ToJsonString().GetHashCode(StringComparison.Ordinal);

    /// <summary>The fieldsV1 JSON of the set, e.g. <c>{"f:spec":{"f:replicas":{}}}</c>.</summary>
    public override string ToString() => ToFieldsV1().ToJsonString();

    internal FieldSet Copy()
    {
        var copy = new FieldSet();
        copy.UnionWith(this);
        return copy;
    }

    internal void UnionWith(FieldSet other)
    {
        _members.UnionWith(other._members);
        foreach (var (element, child) in other._children)
        {
            ChildOrAdd(element).UnionWith(child);
        }
    }

    internal bool HasMember(PathElement element) => _members.Contains(element);

    internal IEnumerable<KeyValuePair<PathElement, FieldSet>> Children => _children;

    internal void AddMember(PathElement element) => _members.Add(element);

    internal FieldSet ChildOrAdd(PathElement element)
    {
        if (!_children.TryGetValue(element, out var child))
        {
            child = new FieldSet();
            _children.Add(element, child);
        }

        return child;
    }

    private void AddChild(PathElement element, FieldSet child)
    {
        if (!child.IsEmpty)
        {
            _children[element] = child;
        }
    }

    private FieldSet Normalized()
    {
        var result = new FieldSet();
        result._members.UnionWith(_members);
        foreach (var (element, child) in _children)
        {
            result.AddChild(element, child.Normalized());
        }

        return result;
    }

    private bool HasChildrenAt(FieldPath path)
    {
        var level = this;
        foreach (var element in path)
        {
            if (!level._children.TryGetValue(element, out var child))
            {
                return false;
            }

            level = child;
        }

        return !level.IsEmpty;
    }

    private IEnumerable<FieldPath> Iterate(PathElement[] prefix)
    {
        foreach (var member in _members)
        {
            yield return new FieldPath([.. prefix, member]);
        }

        foreach (var (element, child) in _children)
        {
            foreach (var path in child.Iterate([.. prefix, element]))
            {
                yield return path;
            }
        }
    }
}
