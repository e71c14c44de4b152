using System.Diagnostics;
using EdgeCloud.Store;

namespace EdgeCloud.LoadTests;

/// <summary>
/// The <c>store</c> benchmark: on SQLite, and on PostgreSQL when EDGECLOUD_BENCH_POSTGRES is set, measures
/// writes/s beside the database's own one-row ceiling, watch delivery latency, and list time and size under
/// churn; prints a summary and writes store-bench.json and store-bench.md.
/// </summary>
internal static class StoreBenchmark
{
    private const string WritesScenario = "writes";

    public static async Task<int> RunAsync(StoreBenchArguments arguments, CancellationToken cancellationToken)
    {
        var settings = StoreBenchSettings.For(arguments.Quick);
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadAtStart = MachineInfo.LoadAverage();
        var notes = new List<string>
        {
            $"Throughput points: {settings.PointSeconds:0.#} s measured after {settings.WarmupSeconds:0.#} s warm-up; every writer writes to one cluster; " +
            "update writers send the mod revision of their own last write of the key (CAS), each writer on its own keys.",
            "Ceilings: PostgreSQL = pgbench on the same server with one INSERT or UPDATE per transaction; " +
            "SQLite = Microsoft.Data.Sqlite loop, one autocommit statement per transaction, one connection per writer, same file settings.",
            $"Watch: one writer at {settings.WatchRatePerSecond}/s sending on schedule (not waiting for the previous commit); latency = send to the watcher reading the event.",
        };
        var postgres = Environment.GetEnvironmentVariable(PostgresBenchBackend.EnvironmentVariable);
        if (arguments.SqliteOnly)
        {
            notes.Add("PostgreSQL skipped: --sqlite-only.");
        }

        if (arguments.PostgresOnly)
        {
            notes.Add("SQLite skipped: --postgres-only.");
        }
        else if (string.IsNullOrWhiteSpace(postgres))
        {
            notes.Add($"PostgreSQL skipped: {PostgresBenchBackend.EnvironmentVariable} is not set (an Npgsql connection string of a superuser). SQLite only.");
        }

        Console.WriteLine($"EdgeCloud store benchmark ({settings.Mode}), {startedAt:yyyy-MM-dd HH:mm:ss} UTC, {Environment.ProcessorCount} CPUs, load average {loadAtStart ?? "unknown"}");
        foreach (var note in notes.Where(static n => n.StartsWith("PostgreSQL skipped", StringComparison.Ordinal)))
        {
            Console.WriteLine(note);
        }

        var results = new List<BackendResult>();
        string? sqliteDirectory = null;
        try
        {
            if (!arguments.PostgresOnly)
            {
                await using var sqlite = new SqliteBenchBackend();
                sqliteDirectory = sqlite.Directory;
                results.Add(await RunBackendAsync(sqlite, settings, cancellationToken));
            }

            if (!arguments.SqliteOnly && !string.IsNullOrWhiteSpace(postgres))
            {
                await using var backend = new PostgresBenchBackend(postgres, PgBench.Locate());
                results.Add(await RunBackendAsync(backend, settings, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled; no report written");
            return 130;
        }

        var report = new BenchReport
        {
            StartedAt = startedAt,
            DurationSeconds = clock.Elapsed.TotalSeconds,
            Settings = settings,
            Machine = MachineInfo.Current(sqliteDirectory, loadAtStart),
            Notes = notes,
            Backends = results,
            Targets = BenchTargets.Evaluate(results),
        };
        var (json, markdown) = await BenchReportFiles.WriteAsync(report, arguments.OutputDirectory, cancellationToken);
        Console.WriteLine();
        foreach (var line in BenchSummary.Lines(report))
        {
            Console.WriteLine(line);
        }

        Console.WriteLine();
        Console.WriteLine($"wrote {json}");
        Console.WriteLine($"wrote {markdown}");
        return BenchSummary.HasErrors(report) ? 1 : 0;
    }

    private static async Task<BackendResult> RunBackendAsync(IBenchBackend backend, StoreBenchSettings settings, CancellationToken cancellationToken)
    {
        void Progress(string line) => Console.WriteLine($"[{backend.Name}] {line}");
        var errors = new List<string>();
        var version = await DescribeAsync(() => backend.DescribeVersionAsync(cancellationToken), errors, cancellationToken);
        var ceilingTool = await DescribeAsync(() => backend.DescribeCeilingAsync(cancellationToken), errors, cancellationToken);
        Progress($"{version}; ceiling: {ceilingTool}");

        var writes = new List<WritePoint>();
        WatchResult? inProcess = null;
        WatchResult? crossProcess = null;
        try
        {
            await using var store = await backend.OpenStoreAsync(WritesScenario, new RevisionedStoreOptions(), cancellationToken);
            foreach (var writers in settings.WriterCounts)
            {
                foreach (var workload in new[] { WriteWorkload.Creates, WriteWorkload.Updates })
                {
                    var point = await MeasurePointAsync(backend, store, workload, writers, settings, cancellationToken);
                    writes.Add(point);
                    Progress(BenchSummary.Describe(point));
                }
            }

            inProcess = await MeasureWatchAsync("in-process", settings, () => WatchLatency.MeasureInProcessAsync(store, settings, cancellationToken), cancellationToken);
            Progress(BenchSummary.Describe(inProcess));
            if (backend.SharedConnectionString(WritesScenario) is { } shared)
            {
                crossProcess = await MeasureWatchAsync("cross-process", settings, () => CrossProcessWatch.MeasureAsync(store, shared, settings, cancellationToken), cancellationToken);
                Progress(BenchSummary.Describe(crossProcess));
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            errors.Add(Failure("writes store", ex));
        }

        ChurnResult? churn;
        try
        {
            churn = await ChurnScenario.RunAsync(backend, settings, Progress, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            churn = new ChurnResult { HistoryRevisions = settings.HistoryRevisions, CompactionIntervalSeconds = settings.CompactionIntervalSeconds, Error = Failure("churn", ex) };
        }

        foreach (var line in BenchSummary.Describe(churn))
        {
            Progress(line);
        }

        return new BackendResult
        {
            Backend = backend.Name,
            Version = version,
            CeilingTool = ceilingTool,
            Writes = writes,
            WatchInProcess = inProcess,
            WatchCrossProcess = crossProcess,
            Churn = churn,
            Errors = errors,
        };
    }

    private static async Task<WritePoint> MeasurePointAsync(IBenchBackend backend, RevisionedStore store, WriteWorkload workload, int writers, StoreBenchSettings settings, CancellationToken cancellationToken)
    {
        RateSample? ours = null;
        string? oursError = null;
        try
        {
            ours = await StoreWriteThroughput.MeasureAsync(store, workload, writers, settings, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            oursError = Failure($"store {workload}, {writers} writers", ex);
        }

        CeilingMeasurement ceiling;
        try
        {
            ceiling = await backend.MeasureCeilingAsync(workload, writers, settings, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            ceiling = new CeilingMeasurement { Method = "ceiling", Error = Failure($"ceiling {workload}, {writers} writers", ex) };
        }

        return new WritePoint
        {
            Workload = workload,
            Writers = writers,
            OursPerSecond = ours?.PerSecond,
            OursOperations = ours?.Operations ?? 0,
            OursSeconds = ours?.Seconds ?? 0,
            OursRefused = ours?.Refused ?? 0,
            OursError = oursError,
            Ceiling = ceiling,
        };
    }

    private static async Task<WatchResult> MeasureWatchAsync(string mode, StoreBenchSettings settings, Func<Task<WatchResult>> measure, CancellationToken cancellationToken)
    {
        try
        {
            return await measure();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new WatchResult { Mode = mode, RatePerSecond = settings.WatchRatePerSecond, Error = Failure($"watch {mode}", ex) };
        }
    }

    private static async Task<string?> DescribeAsync(Func<Task<string>> describe, List<string> errors, CancellationToken cancellationToken)
    {
        try
        {
            return await describe();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            errors.Add(Failure("describe", ex));
            return null;
        }
    }

    /// <summary>Prints the whole exception (a store bug needs its stack) and returns a one-line summary for the report.</summary>
    private static string Failure(string what, Exception ex)
    {
        Console.Error.WriteLine($"FAILED {what}: {ex}");
        return $"{what}: {ex.GetType().Name}: {ex.Message}";
    }
}
