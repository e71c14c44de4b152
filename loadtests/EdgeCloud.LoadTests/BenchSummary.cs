using System.Globalization;

namespace EdgeCloud.LoadTests;

/// <summary>The human-readable lines of the results: printed at the end and embedded in store-bench.md.</summary>
internal static class BenchSummary
{
    public static string Name(WriteWorkload workload) => workload == WriteWorkload.Creates ? "creates" : "CAS updates";

    public static string Describe(WritePoint point)
    {
        var label = $"{Name(point.Workload)}/s {point.Writers,2} writer{(point.Writers == 1 ? " " : "s")}:";
        var ours = point.OursPerSecond is { } o ? N0(o) : "FAILED";
        var ceiling = point.Ceiling.PerSecond is { } c ? N0(c) : "n/a";
        var ratio = point.Ratio is { } r ? F2(r) : "n/a";
        var line = $"{label,-30} {ours,9} (ceiling {ceiling}, ratio {ratio})";
        if (point.OursRefused > 0)
        {
            line += $" [{N0(point.OursRefused)} refused]";
        }

        if (point.OursError is { } error)
        {
            line += $" [store error: {error}]";
        }

        if (point.Ceiling.Error is { } ceilingError)
        {
            line += $" [ceiling error: {ceilingError}]";
        }

        return line;
    }

    public static string Describe(WatchResult watch)
    {
        var line = $"{"watch " + watch.Mode + ":",-30} ";
        if (watch.Delivery is { } d)
        {
            line += $"p50 {Ms(d.P50Ms)}, p90 {Ms(d.P90Ms)}, p99 {Ms(d.P99Ms)}, max {Ms(d.MaxMs)} " +
                $"({N0(watch.Received)}/{N0(watch.Sent)} events at {N0(watch.AchievedPerSecond)}/s";
            if (watch.WriteAck is { } ack)
            {
                line += $"; write ack p50 {Ms(ack.P50Ms)}, p99 {Ms(ack.P99Ms)}";
            }

            line += ")";
        }
        else
        {
            line += "no latencies";
        }

        return watch.Error is { } error ? line + $" [error: {error}]" : line;
    }

    public static IEnumerable<string> Describe(ChurnResult churn)
    {
        if (churn.ListBeforeMs is { } before)
        {
            var after = churn.ListAfterMs is { } a ? Ms(a) : "n/a";
            var ratio = churn.ListRatio is { } r ? F2(r) : "n/a";
            yield return $"{"list " + N0(churn.ListKeys) + " keys:",-30} before {Ms(before)}, after {after}, ratio {ratio} (median of {churn.ListBeforeRunsMs.Count} full lists, {churn.ListPages} pages each)";
        }

        if (churn.Updates > 0)
        {
            yield return $"{"churn:",-30} {N0(churn.Updates)} CAS updates in {churn.UpdateSeconds:0.0} s ({N0(churn.UpdatesPerSecond)}/s, {N0(churn.UpdateConflicts)} conflicts), " +
                $"HistoryRevisions {N0(churn.HistoryRevisions)}, compaction every {churn.CompactionIntervalSeconds:0.#} s (and early when history passes 1.25x its bound), final CompactAsync removed {N0(churn.FinalCompactionRemovedRows)} rows";
        }

        if (churn.SizeRatio is { } sizeRatio)
        {
            var history = churn.StorageAfterChurn.TryGetValue("historyRows", out var rows) ? $", {N0(rows)} history rows" : string.Empty;
            yield return $"{"db size after churn:",-30} {MiB(churn.SizeAfterChurnBytes)} vs live {MiB(churn.LiveDataBytes)} ({N0(churn.LiveKeys)} keys), ratio {F2(sizeRatio)} " +
                $"(before churn {MiB(churn.SizeBeforeChurnBytes)}{history})";
        }

        if (churn.Error is { } error)
        {
            yield return $"{"churn:",-30} FAILED: {error}";
        }
    }

    public static IEnumerable<string> Lines(BenchReport report)
    {
        yield return $"== EdgeCloud store benchmark ({report.Settings.Mode}, {report.DurationSeconds:0} s, {report.Machine.ProcessorCount} CPUs, " +
            $"load average {report.Machine.LoadAverageAtStart ?? "?"} at start, {report.Machine.LoadAverageAtEnd ?? "?"} at end) ==";
        foreach (var backend in report.Backends)
        {
            var name = backend.Backend.PadRight(9);
            yield return $"{name} {backend.Version}";
            foreach (var point in backend.Writes)
            {
                yield return $"{name} {Describe(point)}{Verdict(report, backend.Backend, point)}";
            }

            if (backend.WatchInProcess is { } local)
            {
                yield return $"{name} {Describe(local)}";
            }

            if (backend.WatchCrossProcess is { } remote)
            {
                yield return $"{name} {Describe(remote)}{Verdict(report, backend.Backend, "cross-process watch p99")}";
            }

            if (backend.Churn is { } churn)
            {
                var churnLines = Describe(churn).ToList();
                for (var i = 0; i < churnLines.Count; i++)
                {
                    var verdict = churnLines[i].StartsWith("list", StringComparison.Ordinal) ? Verdict(report, backend.Backend, "list after churn / before")
                        : churnLines[i].StartsWith("db size", StringComparison.Ordinal) ? Verdict(report, backend.Backend, "database size after churn / live data")
                        : string.Empty;
                    yield return $"{name} {churnLines[i]}{verdict}";
                }
            }

            foreach (var error in backend.Errors)
            {
                yield return $"{name} ERROR {error}";
            }
        }

        yield return string.Empty;
        yield return "== Targets ==";
        foreach (var target in report.Targets)
        {
            var value = target.Value is { } v ? F2(v) + (target.Unit == "ms" ? " ms" : "x") : "n/a";
            yield return $"{target.Verdict,-4}  {target.Backend,-9} {target.Name,-40} {value,10}  (goal {target.Goal})";
        }

        foreach (var note in report.Notes.Where(static n => n.Contains("skipped", StringComparison.Ordinal)))
        {
            yield return note;
        }
    }

    public static bool HasErrors(BenchReport report) => report.Backends.Any(static b =>
        b.Errors.Count > 0 ||
        b.Writes.Any(static p => p.OursError is not null || p.Ceiling.Error is not null) ||
        b.WatchInProcess?.Error is not null ||
        b.WatchCrossProcess?.Error is not null ||
        b.Churn?.Error is not null);

    public static string N0(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string F2(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    public static string MiB(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    private static string Verdict(BenchReport report, string backend, WritePoint point) =>
        point.Writers == BenchTargets.RatioWriters ? Verdict(report, backend, $"{Name(point.Workload)}/s at {BenchTargets.RatioWriters} writers vs ceiling") : string.Empty;

    private static string Verdict(BenchReport report, string backend, string target) =>
        report.Targets.FirstOrDefault(t => t.Backend == backend && t.Name == target) is { } check ? $"  [{check.Goal}: {check.Verdict}]" : string.Empty;
}
