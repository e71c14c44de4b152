using System.Text.Json.Nodes;

namespace EdgeCloud.LoadTests.Api;

/// <summary>One measured operation kind: how many ran, in how long, and their latencies.</summary>
internal sealed record OperationResult
{
    public required string Operation { get; init; }

    public required int Clients { get; init; }

    public required int Count { get; init; }

    public required double Seconds { get; init; }

    public double PerSecond => Seconds > 0 ? Count / Seconds : 0;

    public required LatencySummary Latency { get; init; }

    /// <summary>The result as the benchmarks' JSON reports write it.</summary>
    public JsonObject ToJson() => new()
    {
        ["count"] = Count,
        ["clients"] = Clients,
        ["seconds"] = Seconds,
        ["perSecond"] = PerSecond,
        ["latency"] = Latency.ToJson(),
    };
}
