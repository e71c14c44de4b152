namespace EdgeCloud.LoadTests;

/// <summary>The goals the store is held to; printed PASS/MISS beside the results.</summary>
internal static class BenchTargets
{
    /// <summary>Writes/s of the store at <see cref="RatioWriters"/> writers, as a fraction of the database's own one-row ceiling.</summary>
    public const double MinWriteRatio = 0.7;

    /// <summary>The writer count the write ratio is judged at.</summary>
    public const int RatioWriters = 16;

    /// <summary>p99 of watch delivery from a writer in one process to a watcher in another, in milliseconds.</summary>
    public const double MaxCrossProcessP99Ms = 50;

    /// <summary>Full paginated list after the churn, as a multiple of the time before it.</summary>
    public const double MaxListAfterChurnRatio = 1.2;

    /// <summary>Database size after the churn, as a multiple of the live keys' key+value bytes (strictly below).</summary>
    public const double MaxSizeRatio = 3;

    /// <summary>Judges every backend's results against the goals; a goal without a measurement is N/A.</summary>
    public static IReadOnlyList<TargetCheck> Evaluate(IReadOnlyList<BackendResult> backends)
    {
        var checks = new List<TargetCheck>();
        foreach (var backend in backends)
        {
            foreach (var workload in new[] { WriteWorkload.Creates, WriteWorkload.Updates })
            {
                var ratio = backend.Writes.FirstOrDefault(p => p.Workload == workload && p.Writers == RatioWriters)?.Ratio;
                checks.Add(new TargetCheck
                {
                    Backend = backend.Backend,
                    Name = $"{BenchSummary.Name(workload)}/s at {RatioWriters} writers vs ceiling",
                    Goal = $">= {MinWriteRatio:0.00}x ceiling",
                    Value = ratio,
                    Unit = "x",
                    Passed = ratio is { } r ? r >= MinWriteRatio : null,
                });
            }

            if (backend.WatchCrossProcess is { } remote)
            {
                var p99 = remote.Error is null ? remote.Delivery?.P99Ms : null;
                checks.Add(new TargetCheck
                {
                    Backend = backend.Backend,
                    Name = "cross-process watch p99",
                    Goal = $"< {MaxCrossProcessP99Ms:0} ms",
                    Value = p99,
                    Unit = "ms",
                    Passed = p99 is { } ms ? ms < MaxCrossProcessP99Ms : null,
                });
            }

            var listRatio = backend.Churn?.ListRatio;
            checks.Add(new TargetCheck
            {
                Backend = backend.Backend,
                Name = "list after churn / before",
                Goal = $"<= {MaxListAfterChurnRatio:0.0}x",
                Value = listRatio,
                Unit = "x",
                Passed = listRatio is { } l ? l <= MaxListAfterChurnRatio : null,
            });

            var sizeRatio = backend.Churn?.SizeRatio;
            checks.Add(new TargetCheck
            {
                Backend = backend.Backend,
                Name = "database size after churn / live data",
                Goal = $"< {MaxSizeRatio:0}x",
                Value = sizeRatio,
                Unit = "x",
                Passed = sizeRatio is { } z ? z < MaxSizeRatio : null,
            });
        }

        return checks;
    }
}
