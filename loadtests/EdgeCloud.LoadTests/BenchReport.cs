namespace EdgeCloud.LoadTests;

/// <summary>The machine-readable result of one <c>store</c> run (store-bench.json).</summary>
internal sealed record BenchReport
{
    public string Benchmark { get; init; } = "store";

    public required DateTimeOffset StartedAt { get; init; }

    public required double DurationSeconds { get; init; }

    public required StoreBenchSettings Settings { get; init; }

    public required MachineInfo Machine { get; init; }

    /// <summary>What was skipped and why, and how the numbers were taken.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public IReadOnlyList<BackendResult> Backends { get; init; } = [];

    public IReadOnlyList<TargetCheck> Targets { get; init; } = [];
}
