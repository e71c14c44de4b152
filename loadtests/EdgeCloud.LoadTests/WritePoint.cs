namespace EdgeCloud.LoadTests;

/// <summary>One throughput point: the store's rate at some writer count beside the database's ceiling.</summary>
internal sealed record WritePoint
{
    public required WriteWorkload Workload { get; init; }

    public required int Writers { get; init; }

    /// <summary>Applied writes per second through the store, all to one cluster; null when the point failed.</summary>
    public double? OursPerSecond { get; init; }

    /// <summary>Applied writes in the measured window.</summary>
    public long OursOperations { get; init; }

    /// <summary>Length of the measured window, in seconds.</summary>
    public double OursSeconds { get; init; }

    /// <summary>Writes refused (CAS conflicts); none are expected, as each writer owns its keys.</summary>
    public long OursRefused { get; init; }

    public string? OursError { get; init; }

    public required CeilingMeasurement Ceiling { get; init; }

    /// <summary>Ours divided by the ceiling.</summary>
    public double? Ratio => OursPerSecond is { } ours && Ceiling.PerSecond is { } ceiling && ceiling > 0 ? ours / ceiling : null;
}
