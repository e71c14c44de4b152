using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeCloud.Store;

namespace EdgeCloud.LoadTests;

/// <summary>
/// Watch delivery latency across two processes on one PostgreSQL database: this process writes, a second
/// process of this executable (<see cref="WatchChild"/>, its own store instance) watches. The event reaches it
/// through the writing transaction's NOTIFY, as between two API server replicas.
/// </summary>
internal static class CrossProcessWatch
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public static async Task<WatchResult> MeasureAsync(RevisionedStore store, string connectionString, StoreBenchSettings settings, CancellationToken cancellationToken)
    {
        const string Cluster = "watch-remote";
        var keys = await WatchLatency.PrepareAsync(store, Cluster, settings, cancellationToken);
        using var child = Process.Start(ChildStartInfo(connectionString, Cluster, WatchLatency.Prefix))
            ?? throw new InvalidOperationException("could not start the watch child process");
        var errors = new StringBuilder();
        child.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                if (e.Data is not null && errors.Length < 4_000)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        child.BeginErrorReadLine();
        try
        {
            var ready = await ReadLineAsync(child, StartTimeout, cancellationToken);
            if (ready is null || !ready.StartsWith("READY ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the watch child did not report READY but \"{ready}\"; its stderr: {StdErr(errors)}");
            }

            if (long.Parse(ready.AsSpan(6), CultureInfo.InvariantCulture) != Stopwatch.Frequency)
            {
                throw new InvalidOperationException("the watch child's Stopwatch frequency differs: its timestamps cannot be compared with ours");
            }

            var sent = await PacedUpdateWriter.RunAsync(store, Cluster, keys, settings, cancellationToken);
            await child.StandardInput.WriteLineAsync($"FINISH {sent.Measured.ToString(CultureInfo.InvariantCulture)}".AsMemory(), cancellationToken);
            await child.StandardInput.FlushAsync(cancellationToken);

            List<long>? latencies = null;
            string? error = null;
            var replyTimeout = WatchLatency.DrainTimeout + TimeSpan.FromSeconds(30);
            while (await ReadLineAsync(child, replyTimeout, cancellationToken) is { } line && line != "END")
            {
                if (line.StartsWith("LATENCIES ", StringComparison.Ordinal))
                {
                    latencies = ParseLatencies(line);
                }
                else if (line.StartsWith("ERROR ", StringComparison.Ordinal))
                {
                    error = "the child's watch ended with " + line[6..];
                }
            }

            if (latencies is null)
            {
                throw new InvalidOperationException($"the watch child sent no latencies; its stderr: {StdErr(errors)}");
            }

            return WatchLatency.Result("cross-process", settings, sent, latencies.Count, LatencySummary.FromTicks(latencies), error);
        }
        finally
        {
            await StopAsync(child);
        }
    }

    /// <summary>
    /// Runs this same program again. Under <c>dotnet run</c> (or a published app) the process is the app host,
    /// which runs directly; under <c>dotnet EdgeCloud.LoadTests.dll</c> it is the dotnet host, which needs the dll.
    /// </summary>
    private static ProcessStartInfo ChildStartInfo(string connectionString, string cluster, string prefix)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        var startInfo = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (string.Equals(Path.GetFileNameWithoutExtension(self), "dotnet", StringComparison.Ordinal))
        {
            var assembly = typeof(CrossProcessWatch).Assembly.Location;
            startInfo.ArgumentList.Add(assembly.Length > 0 ? assembly : Path.Combine(AppContext.BaseDirectory, "EdgeCloud.LoadTests.dll"));
        }

        foreach (var argument in new[] { WatchChild.Command, "--cluster", cluster, "--prefix", prefix })
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment[WatchChild.ConnectionStringVariable] = connectionString;
        return startInfo;
    }

    private static async Task<string?> ReadLineAsync(Process child, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await child.StandardOutput.ReadLineAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the watch child said nothing for {timeout.TotalSeconds:0} s");
        }
    }

    private static List<long> ParseLatencies(string line)
    {
        // "LATENCIES count t1,t2,…"
        var parts = line.Split(' ', 3);
        var count = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var latencies = new List<long>(count);
        if (count > 0)
        {
            foreach (var value in parts[2].Split(','))
            {
                latencies.Add(long.Parse(value, CultureInfo.InvariantCulture));
            }
        }

        return latencies;
    }

    /// <summary>Closes the child's stdin (its signal to exit), then kills it if it is still there.</summary>
    private static async Task StopAsync(Process child)
    {
        try
        {
            child.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await child.WaitForExitAsync(grace.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    private static string StdErr(StringBuilder errors)
    {
        lock (errors)
        {
            return errors.Length == 0 ? "(empty)" : errors.ToString().Trim();
        }
    }
}
