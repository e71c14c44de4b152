namespace EdgeCloud.Store;

/// <summary>
/// A watch was ended by the store: its reader fell too far behind, its history was compacted under it,
/// or the store was shut down. The caller re-lists and watches again, as a Kubernetes client does.
/// </summary>
public sealed class WatchTerminatedException(string message, Exception? innerException = null)
    : StoreException(message, innerException);
