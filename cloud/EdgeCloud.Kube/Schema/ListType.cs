namespace EdgeCloud.Kube.Schema;

/// <summary>
/// How an array merges, as x-kubernetes-list-type says: server-side apply and strategic merge patch read it.
/// </summary>
public enum ListType
{
    /// <summary>The list is replaced as a whole.</summary>
    Atomic,

    /// <summary>Scalar items, each owned separately, unique.</summary>
    Set,

    /// <summary>Object items identified by <see cref="SchemaNode.ListMapKeys"/>.</summary>
    Map,
}
