namespace EdgeCloud.Kube.Apply;

/// <summary>How a value takes part in ownership and merging, from its schema and its JSON.</summary>
internal enum ValueShape
{
    /// <summary>Owned and replaced as a whole: scalars, atomic lists, atomic maps, values that do not fit the schema.</summary>
    Leaf,

    /// <summary>A struct or map whose entries are owned one by one.</summary>
    Map,

    /// <summary>An x-kubernetes-list-type set: each value owned separately.</summary>
    SetList,

    /// <summary>An x-kubernetes-list-type map: each item owned separately, identified by its key fields.</summary>
    MapList,
}
