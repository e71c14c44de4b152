using EdgeCloud.Store.Maintenance;
using EdgeCloud.Store.Writes;

namespace EdgeCloud.Store;

/// <summary>
/// What a database must provide to <see cref="RevisionedStore"/>. Arguments arrive validated.
/// Every read and write names its cluster; no statement touches rows of another cluster.
/// </summary>
internal interface IStoreBackend : IAsyncDisposable
{
    /// <summary>Name for logs and benchmarks: "sqlite" or "postgres".</summary>
    string Name { get; }

    /// <summary>True when writes of different clusters may commit in parallel (one batch queue per cluster).</summary>
    bool ParallelClusterWrites { get; }

    /// <summary>Raised with (cluster, revision) when another process commits a write; revision 0 when unknown.</summary>
    event Action<string, long>? ExternalChange;

    /// <summary>Raised when external change notices may have been missed (listener reconnected).</summary>
    event Action? ExternalChangesMissed;

    Task InitializeAsync(CancellationToken cancellationToken);

    Task<bool> CreateClusterAsync(string clusterId, long nowMs, CancellationToken cancellationToken);

    Task<bool> DeleteClusterAsync(string clusterId, CancellationToken cancellationToken);

    /// <summary>The cluster's revision, or null when the cluster does not exist.</summary>
    Task<long?> GetRevisionAsync(string clusterId, CancellationToken cancellationToken);

    /// <summary>The key's latest version, or null when the cluster does not exist.</summary>
    Task<GetResult?> GetAsync(string clusterId, string key, CancellationToken cancellationToken);

    /// <summary>Live keys in [from, to) of the cluster now; null when the cluster does not exist.</summary>
    Task<long?> CountAsync(string clusterId, string from, string to, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> (0: all) items with keys in [<paramref name="from"/>, <paramref name="to"/>)
    /// and greater than <paramref name="after"/>, as of <paramref name="revision"/> (0: latest), plus whether more follow.
    /// Null when the cluster does not exist. Throws <see cref="RevisionCompactedException"/> and <see cref="FutureRevisionException"/>.
    /// </summary>
    Task<(ListResult Page, bool More)?> ListAsync(string clusterId, string from, string to, string after, long revision, int limit, CancellationToken cancellationToken);

    /// <summary>History entries with revision greater than <paramref name="afterRevision"/>, oldest first. Null when the cluster does not exist.</summary>
    Task<LogPage?> ReadLogAsync(string clusterId, long afterRevision, int limit, CancellationToken cancellationToken);

    /// <summary>Applies the operations in order in one transaction and completes each; all are applied or none.</summary>
    Task<IReadOnlyList<WriteOutcome>> ApplyAsync(IReadOnlyList<WriteOperation> operations, CancellationToken cancellationToken);

    /// <summary>
    /// Clusters whose retained history spans more than <paramref name="historyRevisions"/> revisions or begins
    /// before <paramref name="cutoffMs"/>: id, revision, compact revision, and the time of the oldest retained entry.
    /// </summary>
    Task<IReadOnlyList<CompactionCandidate>> FindCompactionCandidatesAsync(long historyRevisions, long cutoffMs, CancellationToken cancellationToken);

    /// <summary>The newest history revision after <paramref name="afterRevision"/> written before <paramref name="cutoffMs"/>, if any.</summary>
    Task<long?> NewestRevisionBeforeAsync(string clusterId, long afterRevision, long cutoffMs, CancellationToken cancellationToken);

    /// <summary>
    /// Marks history up to <paramref name="targetRevision"/> compacted (never moving backwards) and returns the revision
    /// just below the oldest history row still stored, where deletion must start (it may lie below the previous mark
    /// when an earlier pass was interrupted).
    /// </summary>
    Task<long> MarkCompactedAsync(string clusterId, long targetRevision, CancellationToken cancellationToken);

    /// <summary>
    /// In one short transaction, examines the next history rows (at most <paramref name="maxRows"/>) with revision
    /// in (<paramref name="afterRevision"/>, <paramref name="compactRevision"/>] and deletes those that no row above
    /// <paramref name="compactRevision"/> still needs as its previous version. Returns the rows deleted and the
    /// revision through which rows were examined (the next call starts there).
    /// </summary>
    Task<(int Removed, long Through)> DeleteHistoryAsync(string clusterId, long afterRevision, long compactRevision, int maxRows, CancellationToken cancellationToken);

    /// <summary>Lets the database reclaim space after compaction (SQLite: WAL checkpoint and incremental vacuum).</summary>
    Task ReclaimSpaceAsync(CancellationToken cancellationToken);

    /// <summary>Earliest expiry time (Unix ms) of any key, or null when no key has a TTL.</summary>
    Task<long?> NextExpiryAsync(CancellationToken cancellationToken);

    /// <summary>Keys that expired at or before <paramref name="nowMs"/>, with their mod revisions.</summary>
    Task<IReadOnlyList<(string ClusterId, string Key, long ModRevision)>> FindExpiredAsync(long nowMs, int limit, CancellationToken cancellationToken);

    /// <summary>Bytes the database occupies on disk (for benchmarks and operators).</summary>
    Task<long> GetSizeBytesAsync(CancellationToken cancellationToken);
}
