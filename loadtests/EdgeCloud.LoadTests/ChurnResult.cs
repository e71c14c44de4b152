namespace EdgeCloud.LoadTests;

/// <summary>List time and database size before and after heavy CAS churn on other keys, with compaction on.</summary>
internal sealed record ChurnResult
{
    public required long HistoryRevisions { get; init; }

    public required double CompactionIntervalSeconds { get; init; }

    /// <summary>Median full paginated list of prefix A before the churn, in milliseconds.</summary>
    public double? ListBeforeMs { get; init; }

    public IReadOnlyList<double> ListBeforeRunsMs { get; init; } = [];

    /// <summary>Median full paginated list of prefix A after the churn and a final compaction, in milliseconds.</summary>
    public double? ListAfterMs { get; init; }

    public IReadOnlyList<double> ListAfterRunsMs { get; init; } = [];

    /// <summary>Keys under prefix A, the ones listed.</summary>
    public int ListKeys { get; init; }

    /// <summary>Pages per full list.</summary>
    public int ListPages { get; init; }

    public double? ListRatio => ListBeforeMs is > 0 && ListAfterMs is { } after ? after / ListBeforeMs : null;

    /// <summary>Applied CAS updates of the churn.</summary>
    public long Updates { get; init; }

    public long UpdateConflicts { get; init; }

    public double UpdateSeconds { get; init; }

    public double UpdatesPerSecond => UpdateSeconds > 0 ? Updates / UpdateSeconds : 0;

    /// <summary>History rows the final CompactAsync() removed.</summary>
    public long FinalCompactionRemovedRows { get; init; }

    /// <summary>The cluster's revision after the churn.</summary>
    public long RevisionAfter { get; init; }

    /// <summary>Sum of key and value bytes of the live keys (prefix A and B).</summary>
    public long LiveKeys { get; init; }

    public long LiveDataBytes { get; init; }

    /// <summary>GetDatabaseSizeBytesAsync() after loading the keys, before the churn.</summary>
    public long SizeBeforeChurnBytes { get; init; }

    /// <summary>GetDatabaseSizeBytesAsync() after the churn and the final compaction.</summary>
    public long SizeAfterChurnBytes { get; init; }

    public double? SizeRatio => LiveDataBytes > 0 && SizeAfterChurnBytes > 0 ? (double)SizeAfterChurnBytes / LiveDataBytes : null;

    /// <summary>Where the bytes are (per file or per table) and how many history rows remain.</summary>
    public IReadOnlyDictionary<string, long> StorageAfterChurn { get; init; } = new Dictionary<string, long>();

    public string? Error { get; init; }
}
