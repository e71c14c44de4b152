namespace EdgeCloud.Kube.Apply;

/// <summary>
/// What a <see cref="PathElement"/> selects, in the order structured-merge-diff sorts them
/// (field names before keys, keys before values, values before indexes).
/// </summary>
public enum PathElementKind
{
    /// <summary>A field of a struct or a key of a map: <c>f:name</c>.</summary>
    Field,

    /// <summary>An item of an x-kubernetes-list-type map list, by its key fields: <c>k:{"name":"web"}</c>.</summary>
    Key,

    /// <summary>An item of an x-kubernetes-list-type set list, by its value: <c>v:"a"</c>.</summary>
    Value,

    /// <summary>An item of a list by position: <c>i:0</c> (never produced for the lists Kubernetes declares).</summary>
    Index,
}
