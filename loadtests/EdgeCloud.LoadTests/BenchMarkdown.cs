using System.Text;

namespace EdgeCloud.LoadTests;

/// <summary>store-bench.md: the summary as tables, for a pull request or a wiki page.</summary>
internal static class BenchMarkdown
{
    public static string Render(BenchReport report)
    {
        var md = new StringBuilder();
        md.AppendLine($"# EdgeCloud store benchmark ({report.Settings.Mode})").AppendLine();
        md.AppendLine($"Run {report.StartedAt:yyyy-MM-dd HH:mm} UTC, {report.DurationSeconds:0} s, on {report.Machine.Os}, {report.Machine.ProcessorCount} CPUs, {report.Machine.Runtime}; load average {report.Machine.LoadAverageAtStart ?? "?"} at start, {report.Machine.LoadAverageAtEnd ?? "?"} at end.").AppendLine();
        foreach (var note in report.Notes)
        {
            md.AppendLine($"- {note}");
        }

        md.AppendLine().AppendLine("## Targets").AppendLine();
        md.AppendLine("| | backend | target | value | goal |").AppendLine("| --- | --- | --- | ---: | --- |");
        foreach (var target in report.Targets)
        {
            var value = target.Value is { } v ? BenchSummary.F2(v) + (target.Unit == "ms" ? " ms" : "x") : "n/a";
            md.AppendLine($"| {target.Verdict} | {target.Backend} | {target.Name} | {value} | {target.Goal} |");
        }

        foreach (var backend in report.Backends)
        {
            md.AppendLine().AppendLine($"## {backend.Backend}").AppendLine();
            md.AppendLine($"{backend.Version}; ceiling: {backend.CeilingTool}.").AppendLine();
            md.AppendLine("| workload | writers | store/s | ceiling/s | ratio |").AppendLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (var point in backend.Writes)
            {
                md.AppendLine($"| {BenchSummary.Name(point.Workload)} | {point.Writers} | {Number(point.OursPerSecond)} | {Number(point.Ceiling.PerSecond)} | {(point.Ratio is { } r ? BenchSummary.F2(r) : "n/a")} |");
            }

            md.AppendLine().AppendLine("| watch | events | p50 | p90 | p99 | max | write ack p50 / p99 |").AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var watch in new[] { backend.WatchInProcess, backend.WatchCrossProcess })
            {
                if (watch?.Delivery is { } d)
                {
                    var ack = watch.WriteAck is { } a ? $"{BenchSummary.Ms(a.P50Ms)} / {BenchSummary.Ms(a.P99Ms)}" : "n/a";
                    md.AppendLine($"| {watch.Mode} | {watch.Received:N0}/{watch.Sent:N0} | {BenchSummary.Ms(d.P50Ms)} | {BenchSummary.Ms(d.P90Ms)} | {BenchSummary.Ms(d.P99Ms)} | {BenchSummary.Ms(d.MaxMs)} | {ack} |");
                }
            }

            if (backend.Churn is { } churn)
            {
                md.AppendLine().AppendLine("| churn | value |").AppendLine("| --- | ---: |");
                md.AppendLine($"| list of {report.Settings.ListKeys:N0} keys, before (median) | {Ms(churn.ListBeforeMs)} |");
                md.AppendLine($"| list after {churn.Updates:N0} CAS updates (median) | {Ms(churn.ListAfterMs)} |");
                md.AppendLine($"| churn rate | {BenchSummary.N0(churn.UpdatesPerSecond)}/s |");
                md.AppendLine($"| live data (key + value bytes) | {BenchSummary.MiB(churn.LiveDataBytes)} |");
                md.AppendLine($"| database size before churn | {BenchSummary.MiB(churn.SizeBeforeChurnBytes)} |");
                md.AppendLine($"| database size after churn | {BenchSummary.MiB(churn.SizeAfterChurnBytes)} |");
                foreach (var (name, value) in churn.StorageAfterChurn)
                {
                    md.AppendLine($"| after churn: {name} | {value:N0} |");
                }
            }

            foreach (var error in backend.Errors)
            {
                md.AppendLine().AppendLine($"Error: {error}");
            }
        }

        md.AppendLine().AppendLine("## Summary").AppendLine().AppendLine("```");
        foreach (var line in BenchSummary.Lines(report))
        {
            md.AppendLine(line);
        }

        return md.AppendLine("```").ToString();
    }

    private static string Number(double? value) => value is { } v ? BenchSummary.N0(v) : "n/a";

    private static string Ms(double? value) => value is { } v ? BenchSummary.Ms(v) : "n/a";
}
