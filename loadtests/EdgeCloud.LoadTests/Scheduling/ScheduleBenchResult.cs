namespace EdgeCloud.LoadTests.Scheduling;

/// <summary>What one run of the scheduling benchmark measured.</summary>
internal sealed record ScheduleBenchResult
{
    public required int Nodes { get; init; }

    public required int Pods { get; init; }

    public required double StartupMs { get; init; }

    /// <summary>Registering the nodes (a Node and its Lease per operation).</summary>
    public required Api.OperationResult Registration { get; init; }

    /// <summary>The baseline: the same pods for a scheduler nobody runs, so nothing binds them.</summary>
    public required Api.OperationResult Baseline { get; init; }

    /// <summary>Creating the measured pods while the scheduler binds them.</summary>
    public required Api.OperationResult Create { get; init; }

    /// <summary>Measured pods the watch saw bound before the deadline.</summary>
    public required int Bound { get; init; }

    /// <summary>From the first create's start to the last pod seen bound, in seconds.</summary>
    public required double BindSeconds { get; init; }

    /// <summary>From the last create's answer to the last pod seen bound, in milliseconds: how far binding trailed creation.</summary>
    public required double TailAfterLastCreateMs { get; init; }

    /// <summary>Bound pods per second over <see cref="BindSeconds"/>.</summary>
    public double BindingsPerSecond => BindSeconds > 0 ? Bound / BindSeconds : 0;

    /// <summary>Client create start to the watch seeing the pod bound; null when none was bound.</summary>
    public required LatencySummary? CreateToBound { get; init; }

    /// <summary>Fewest and most measured pods on one node (every node counted, empty ones too).</summary>
    public required int MinPodsPerNode { get; init; }

    public required int MaxPodsPerNode { get; init; }

    /// <summary>Measured pods per zone.</summary>
    public required IReadOnlyList<KeyValuePair<string, int>> PodsPerZone { get; init; }

    /// <summary>Nodes the server reported Ready=True at the end, of <see cref="Nodes"/>.</summary>
    public required int ReadyNodesAtEnd { get; init; }

    public required int LeaseRenewals { get; init; }

    public required int LeaseRenewalFailures { get; init; }

    public required double MaxLeaseRenewalGapMs { get; init; }

    public required long WatchEvents { get; init; }

    /// <summary>How long the server took to fall quiet after the warm-up, and after the baseline.</summary>
    public double SettleAfterWarmupSeconds { get; init; }

    public double SettleAfterBaselineSeconds { get; init; }

    /// <summary>CPU used during the baseline creates.</summary>
    public CpuSample BaselineCpu { get; init; }

    /// <summary>CPU used from the first measured create until the last pod was seen bound.</summary>
    public CpuSample MeasuredCpu { get; init; }
}
