using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeCloud.Store;

namespace EdgeCloud.LoadTests;

/// <summary>
/// The second process of the cross-process watch measurement (<c>store-watch-child</c>): opens its own store
/// on the PostgreSQL database the parent writes to, watches a prefix, and reports the delivery latencies.
/// Protocol, one line each: it prints <c>READY frequency</c> once watching; the parent sends
/// <c>FINISH n</c> when its n measured writes are acknowledged; it prints <c>LATENCIES count t1,t2,…</c> (Stopwatch
/// ticks), <c>ERROR message</c> if the watch failed, then <c>END</c>, and exits. It exits at once when its stdin
/// closes (the parent is gone).
/// </summary>
internal static class WatchChild
{
    public const string Command = "store-watch-child";

    /// <summary>The connection string travels in the environment, not on the command line, where ps would show its password.</summary>
    public const string ConnectionStringVariable = "EDGECLOUD_BENCH_CHILD_POSTGRES";

    /// <summary>The child gives up on a parent that never sends FINISH.</summary>
    private static readonly TimeSpan ParentTimeout = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (args is not ["--cluster", var cluster, "--prefix", var prefix] ||
            Environment.GetEnvironmentVariable(ConnectionStringVariable) is not { Length: > 0 } connectionString)
        {
            await Console.Error.WriteLineAsync($"usage: {ConnectionStringVariable}=... EdgeCloud.LoadTests {Command} --cluster ID --prefix PREFIX");
            return 2;
        }

        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lifetime.CancelAfter(ParentTimeout);
        var token = lifetime.Token;
        // Only the parent's store compacts and sweeps: this one is a pure watcher, like a second API server replica.
        await using var store = await RevisionedStore.OpenPostgresAsync(connectionString, new RevisionedStoreOptions { RunMaintenance = false }, null, token);
        var watch = await store.WatchAsync(cluster, prefix, 0, token);
        var collector = new WatchLatencyCollector();
        var reading = Task.Run(() => collector.RunAsync(watch, token), CancellationToken.None);
        await Console.Out.WriteLineAsync($"READY {Stopwatch.Frequency.ToString(CultureInfo.InvariantCulture)}");

        long expected;
        while (true)
        {
            var line = await Console.In.ReadLineAsync(token);
            if (line is null)
            {
                return 3;
            }

            if (line.StartsWith("FINISH ", StringComparison.Ordinal) && long.TryParse(line.AsSpan(7), CultureInfo.InvariantCulture, out expected))
            {
                break;
            }
        }

        await collector.WaitForAsync(expected, WatchLatency.DrainTimeout, reading, token);
        await watch.DisposeAsync();
        string? error = null;
        try
        {
            await reading;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = $"{ex.GetType().Name}: {ex.Message}".ReplaceLineEndings(" ");
        }

        var report = new StringBuilder("LATENCIES ").Append(collector.Latencies.Count.ToString(CultureInfo.InvariantCulture)).Append(' ');
        report.AppendJoin(',', collector.Latencies.Select(static t => t.ToString(CultureInfo.InvariantCulture)));
        await Console.Out.WriteLineAsync(report.ToString());
        if (error is not null)
        {
            await Console.Out.WriteLineAsync($"ERROR {error}");
        }

        await Console.Out.WriteLineAsync("END");
        return 0;
    }
}
