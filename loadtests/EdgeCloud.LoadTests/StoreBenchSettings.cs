using System.Text.Json.Serialization;
using EdgeCloud.Store;

namespace EdgeCloud.LoadTests;

/// <summary>What one run of the store benchmark does and for how long; written into the JSON report as is.</summary>
internal sealed record StoreBenchSettings
{
    /// <summary>"full" or "quick".</summary>
    public required string Mode { get; init; }

    /// <summary>Concurrent writers per throughput point, all writing to one cluster.</summary>
    public IReadOnlyList<int> WriterCounts { get; init; } = [1, 16, 64];

    /// <summary>Measured seconds per throughput point (ours and the SQLite ceiling; pgbench gets whole seconds).</summary>
    public required double PointSeconds { get; init; }

    /// <summary>Seconds each point runs before counting starts (connections, JIT, caches).</summary>
    public required double WarmupSeconds { get; init; }

    /// <summary>Value size of every write, in bytes.</summary>
    public int ValueBytes { get; init; } = 256;

    /// <summary>Keys each update writer cycles through (its own; no two writers share a key).</summary>
    public int KeysPerUpdateWriter { get; init; } = 16;

    /// <summary>Steady rate of the watch writer, in updates per second.</summary>
    public int WatchRatePerSecond { get; init; } = 500;

    /// <summary>Measured seconds of each watch-latency run.</summary>
    public required double WatchSeconds { get; init; }

    /// <summary>Keys the watch writer cycles through.</summary>
    public int WatchKeys { get; init; } = 100;

    /// <summary>Keys under prefix A (listed).</summary>
    public int ListKeys { get; init; } = 10_000;

    /// <summary>Keys under prefix B (churned).</summary>
    public int LeaseKeys { get; init; } = 1_000;

    /// <summary>Items per page of the paginated list.</summary>
    public int ListPageSize { get; init; } = 500;

    /// <summary>Timed full lists per measurement; the median is reported.</summary>
    public required int ListRuns { get; init; }

    /// <summary>Pause before each timed list, in milliseconds.</summary>
    public int ListSpacingMs { get; init; } = 100;

    /// <summary>Applied CAS updates to the prefix B keys.</summary>
    public required int ChurnUpdates { get; init; }

    /// <summary>Concurrent writers of the churn.</summary>
    public int ChurnWriters { get; init; } = 16;

    /// <summary>RevisionedStoreOptions.HistoryRevisions of the churn store (the store's default).</summary>
    public required long HistoryRevisions { get; init; }

    /// <summary>RevisionedStoreOptions.CompactionInterval of the churn store (the store's default; early passes keep history bounded in between).</summary>
    public double CompactionIntervalSeconds { get; init; } = new RevisionedStoreOptions().CompactionInterval.TotalSeconds;

    [JsonIgnore]
    public TimeSpan Point => TimeSpan.FromSeconds(PointSeconds);

    [JsonIgnore]
    public TimeSpan Warmup => TimeSpan.FromSeconds(WarmupSeconds);

    public static StoreBenchSettings For(bool quick) => new()
    {
        Mode = quick ? "quick" : "full",
        PointSeconds = quick ? 1.5 : 5,
        WarmupSeconds = quick ? 0.3 : 0.5,
        WatchSeconds = quick ? 1.5 : 5,
        ListRuns = quick ? 11 : 21,
        ChurnUpdates = quick ? 20_000 : 1_000_000,
        HistoryRevisions = new RevisionedStoreOptions().HistoryRevisions,
    };
}
