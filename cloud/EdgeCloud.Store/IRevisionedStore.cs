namespace EdgeCloud.Store;

/// <summary>
/// A revisioned key-value store partitioned by cluster, with the semantics the Kubernetes API server
/// needs from etcd: a per-cluster revision, compare-and-swap on mod revisions, consistent paginated lists,
/// and watches that deliver every change after a revision exactly once, in order.
/// </summary>
/// <remarks>
/// A write's outcome is decided by the database transaction that applies it. A cancelled call may still
/// have been applied, as with etcd: callers that need to know re-read the key.
/// </remarks>
public interface IRevisionedStore : IAsyncDisposable
{
    /// <summary>Creates an empty cluster at revision 0 (its first write takes revision 1). Returns false when it already exists.</summary>
    Task<bool> CreateClusterAsync(string clusterId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a cluster with all its keys and history. Returns false when it did not exist.</summary>
    Task<bool> DeleteClusterAsync(string clusterId, CancellationToken cancellationToken = default);

    /// <summary>Whether the cluster exists.</summary>
    Task<bool> ClusterExistsAsync(string clusterId, CancellationToken cancellationToken = default);

    /// <summary>The cluster's current revision (0 before its first write).</summary>
    Task<long> GetRevisionAsync(string clusterId, CancellationToken cancellationToken = default);

    /// <summary>The latest version of one key.</summary>
    Task<GetResult> GetAsync(string clusterId, string key, CancellationToken cancellationToken = default);

    /// <summary>How many live keys the cluster has under <paramref name="prefix"/> now (quotas; one indexed count, no values read).</summary>
    Task<long> CountAsync(string clusterId, string prefix, CancellationToken cancellationToken = default);

    /// <summary>One page of the keys under a prefix; every page of one list reads the same revision.</summary>
    Task<ListResult> ListAsync(string clusterId, ListRequest request, CancellationToken cancellationToken = default);

    /// <summary>Creates a key; refused with <see cref="WriteStatus.AlreadyExists"/> if it exists.</summary>
    /// <param name="clusterId">The cluster.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value to store.</param>
    /// <param name="ttl">When set, the store deletes the key this long after the write (an ordinary delete, seen by watchers).</param>
    /// <param name="cancellationToken">Stops waiting for the outcome.</param>
    Task<WriteResult> CreateAsync(string clusterId, string key, ReadOnlyMemory<byte> value, TimeSpan? ttl = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a key's value if its mod revision is <paramref name="expectedModRevision"/>
    /// (0: whatever it is). The check and the write happen in one database transaction.
    /// </summary>
    /// <param name="clusterId">The cluster.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The new value.</param>
    /// <param name="expectedModRevision">The mod revision the caller read, or 0 for an unconditional update.</param>
    /// <param name="ttl">When set, the key expires this long after the write; when null, any previous TTL is cleared.</param>
    /// <param name="cancellationToken">Stops waiting for the outcome.</param>
    Task<WriteResult> UpdateAsync(string clusterId, string key, ReadOnlyMemory<byte> value, long expectedModRevision, TimeSpan? ttl = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a key if its mod revision is <paramref name="expectedModRevision"/> (0: whatever it is).</summary>
    Task<WriteResult> DeleteAsync(string clusterId, string key, long expectedModRevision, CancellationToken cancellationToken = default);

    /// <summary>
    /// Watches the keys under <paramref name="prefix"/> for every change with a revision greater than
    /// <paramref name="afterRevision"/> (0: from the current revision on). Throws
    /// <see cref="RevisionCompactedException"/> when that history is no longer retained.
    /// </summary>
    Task<StoreWatch> WatchAsync(string clusterId, string prefix, long afterRevision, CancellationToken cancellationToken = default);
}
