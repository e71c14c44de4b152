namespace EdgeCloud.Store;

/// <summary>
/// The requested revision is older than the retained history. The Kubernetes API turns this into
/// 410 Gone with reason Expired, and clients re-list.
/// </summary>
public sealed class RevisionCompactedException(long requestedRevision, long compactRevision)
    : StoreException($"revision {requestedRevision} has been compacted; the oldest revision available is {compactRevision + 1}")
{
    /// <summary>The revision the caller asked for.</summary>
    public long RequestedRevision { get; } = requestedRevision;

    /// <summary>The newest revision that was compacted; history after it is retained.</summary>
    public long CompactRevision { get; } = compactRevision;
}
