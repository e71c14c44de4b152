using System.Text.Json.Nodes;

namespace EdgeCloud.LoadTests.Tunnel;

/// <summary>The numbers of one path.</summary>
internal sealed record PathResult
{
    public required string Name { get; init; }

    public required double SingleMiBps { get; init; }

    public required double ParallelMiBps { get; init; }

    /// <summary>CPU time of the benchmark process (both ends of the path) per MiB moved, median of the runs.</summary>
    public required double SingleCpuMsPerMiB { get; init; }

    public required double ParallelCpuMsPerMiB { get; init; }

    public required LatencySummary Latency1 { get; init; }

    public required LatencySummary Latency64 { get; init; }

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["singleStreamMiBps"] = SingleMiBps,
        ["parallelStreamsMiBps"] = ParallelMiBps,
        ["singleStreamCpuMsPerMiB"] = SingleCpuMsPerMiB,
        ["parallelStreamsCpuMsPerMiB"] = ParallelCpuMsPerMiB,
        ["openToFirstByte1"] = Latency(Latency1),
        ["openToFirstByte64"] = Latency(Latency64),
    };

    private static JsonObject Latency(LatencySummary l) => new() { ["count"] = l.Count, ["p50Ms"] = l.P50Ms, ["p99Ms"] = l.P99Ms, ["maxMs"] = l.MaxMs };
}
