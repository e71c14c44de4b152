namespace EdgeCloud.Store;

/// <summary>Settings shared by both backends. Defaults suit a control plane serving many small clusters.</summary>
public sealed class RevisionedStoreOptions
{
    /// <summary>Largest value accepted, in bytes. Defaults to 1,572,864 bytes (1.5 MiB), etcd's request limit.</summary>
    public int MaxValueBytes { get; set; } = 1_572_864;

    /// <summary>Longest key accepted, in bytes. Defaults to 1,024.</summary>
    public int MaxKeyBytes { get; set; } = 1_024;

    /// <summary>Most writes committed in one database transaction (group commit). Defaults to 256.</summary>
    public int MaxWriteBatch { get; set; } = 256;

    /// <summary>
    /// History kept behind the current revision, in revisions, per cluster. Older history is compacted.
    /// Defaults to 5,000: five times what kine keeps, enough for a watcher to resume after a short disconnect
    /// under heartbeat load, while history stays smaller than the live data of a typical cluster.
    /// </summary>
    public long HistoryRevisions { get; set; } = 5_000;

    /// <summary>History older than this is compacted even when within <see cref="HistoryRevisions"/>. Defaults to 1 hour.</summary>
    public TimeSpan HistoryAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the compactor looks for clusters with history beyond the bounds. Defaults to 1 minute.</summary>
    public TimeSpan CompactionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>History rows removed per compaction transaction, so that writers are never held up for long. Defaults to 500.</summary>
    public int CompactionChunkRows { get; set; } = 500;

    /// <summary>Events buffered per watch before a reader that does not keep up is terminated. Defaults to 10,000.</summary>
    public int WatchBufferEvents { get; set; } = 10_000;

    /// <summary>
    /// Longest the expiry sweeper sleeps before checking for expired keys again, which also catches keys
    /// written with a TTL by another server process. Defaults to 30 seconds.
    /// </summary>
    public TimeSpan ExpirySweepMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether this store instance runs the compactor and the expiry sweeper. Defaults to true.</summary>
    public bool RunMaintenance { get; set; } = true;

    /// <summary>The clock; tests substitute a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws with a message that says how to fix the first invalid setting.</summary>
    public void Validate()
    {
        Require(MaxValueBytes is > 0 and <= 64 * 1024 * 1024, nameof(MaxValueBytes), "must be between 1 byte and 64 MiB");
        Require(MaxKeyBytes is >= 16 and <= 8 * 1024, nameof(MaxKeyBytes), "must be between 16 and 8,192 bytes");
        Require(MaxWriteBatch is >= 1 and <= 10_000, nameof(MaxWriteBatch), "must be between 1 and 10,000");
        Require(HistoryRevisions >= 1, nameof(HistoryRevisions), "must keep at least 1 revision of history");
        Require(HistoryAge > TimeSpan.Zero, nameof(HistoryAge), "must be a positive duration, e.g. 00:10:00");
        Require(CompactionInterval > TimeSpan.Zero, nameof(CompactionInterval), "must be a positive duration, e.g. 00:01:00");
        Require(CompactionChunkRows is >= 1 and <= 100_000, nameof(CompactionChunkRows), "must be between 1 and 100,000");
        Require(WatchBufferEvents >= 16, nameof(WatchBufferEvents), "must buffer at least 16 events");
        Require(ExpirySweepMaxInterval > TimeSpan.Zero, nameof(ExpirySweepMaxInterval), "must be a positive duration, e.g. 00:00:30");
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }

    private static void Require(bool condition, string setting, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"RevisionedStoreOptions.{setting} {rule}.", setting);
        }
    }
}
