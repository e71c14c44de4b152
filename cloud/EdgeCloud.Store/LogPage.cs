namespace EdgeCloud.Store;

/// <summary>A run of history entries read in one snapshot, with the cluster's revision bounds at that moment.</summary>
internal sealed record LogPage
{
    public required IReadOnlyList<WatchEvent> Events { get; init; }

    /// <summary>The cluster's current revision in the snapshot.</summary>
    public required long HeadRevision { get; init; }

    /// <summary>The newest compacted revision in the snapshot; history after it is complete.</summary>
    public required long CompactRevision { get; init; }
}
