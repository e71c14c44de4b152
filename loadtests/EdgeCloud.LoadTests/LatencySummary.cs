using System.Diagnostics;
using System.Text.Json.Nodes;

namespace EdgeCloud.LoadTests;

/// <summary>Percentiles of a set of latencies, in milliseconds (nearest-rank).</summary>
internal sealed record LatencySummary
{
    public required int Count { get; init; }

    public required double P50Ms { get; init; }

    public required double P90Ms { get; init; }

    public required double P99Ms { get; init; }

    public required double MaxMs { get; init; }

    public required double MeanMs { get; init; }

    /// <summary>The summary as the benchmarks' JSON reports write it.</summary>
    public JsonObject ToJson() => new() { ["p50Ms"] = P50Ms, ["p90Ms"] = P90Ms, ["p99Ms"] = P99Ms, ["maxMs"] = MaxMs, ["count"] = Count };

    /// <summary>Summarizes Stopwatch tick intervals; null when there are none.</summary>
    public static LatencySummary? FromTicks(IReadOnlyCollection<long> ticks)
    {
        if (ticks.Count == 0)
        {
            return null;
        }

        var sorted = ticks.ToArray();
        Array.Sort(sorted);
        return new LatencySummary
        {
            Count = sorted.Length,
            P50Ms = ToMs(Percentile(sorted, 0.50)),
            P90Ms = ToMs(Percentile(sorted, 0.90)),
            P99Ms = ToMs(Percentile(sorted, 0.99)),
            MaxMs = ToMs(sorted[^1]),
            MeanMs = ToMs(sorted.Average(static t => (double)t)),
        };
    }

    /// <summary>The median of some durations in milliseconds (the lower middle for an even count).</summary>
    public static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[(sorted.Length - 1) / 2];
    }

    private static long Percentile(long[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double ToMs(double ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
