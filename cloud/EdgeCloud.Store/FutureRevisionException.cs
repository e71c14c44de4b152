namespace EdgeCloud.Store;

/// <summary>The requested revision is newer than the cluster's current revision.</summary>
public sealed class FutureRevisionException(long requestedRevision, long currentRevision)
    : StoreException($"revision {requestedRevision} is newer than the current revision {currentRevision}")
{
    /// <summary>The revision the caller asked for.</summary>
    public long RequestedRevision { get; } = requestedRevision;

    /// <summary>The cluster's revision when the request was served.</summary>
    public long CurrentRevision { get; } = currentRevision;
}
