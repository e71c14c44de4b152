using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace EdgeCloud.LoadTests.Tunnel;

/// <summary>What N idle sessions cost the server, and what their keepalive costs the network.</summary>
internal sealed record IdleResult
{
    public required int Sessions { get; init; }

    public required double ManagedBytesPerSession { get; init; }

    public required double WorkingSetBytesPerSession { get; init; }

    public required double AgentWorkingSetBytesPerSession { get; init; }

    public required double WindowSeconds { get; init; }

    public required long KeepAliveBytes { get; init; }

    public required int SessionsAliveAfterWindow { get; init; }

    /// <summary>TCP payload of the keepalive, both directions, per session.</summary>
    public double KeepAliveBitsPerSecond => KeepAliveBytes * 8.0 / WindowSeconds / Sessions;
}

/// <summary>Runs <see cref="IdleSessionsChild"/> against the server in this process and measures this process.</summary>
internal static class IdleSessions
{
    public static async Task<IdleResult> MeasureAsync(TunnelBenchServer server, int sessions, TimeSpan window, CancellationToken cancellationToken)
    {
        var (managedBefore, workingSetBefore) = Memory();
        using var child = Process.Start(StartInfo(server.TunnelUri, sessions)) ?? throw new InvalidOperationException("could not start the idle-session process");
        child.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("[idle child] " + e.Data);
            }
        };
        child.BeginErrorReadLine();
        try
        {
            var ready = await child.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromMinutes(10), cancellationToken);
            if (ready is null || !ready.StartsWith("READY ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the idle-session process said \"{ready}\" instead of READY");
            }

            var agentWorkingSetGrowth = long.Parse(ready.Split(' ')[2], CultureInfo.InvariantCulture);
            while (server.Registry.Count < sessions)
            {
                // The registry has no event for "n sessions"; the child already saw all of them up.
                await Task.Delay(100, cancellationToken);
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var (managedAfter, workingSetAfter) = Memory();
            await child.StandardInput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"MEASURE {window.TotalSeconds}"));
            await child.StandardInput.FlushAsync(cancellationToken);
            var line = await child.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(window + TimeSpan.FromMinutes(1), cancellationToken);
            if (line is null || !line.StartsWith("BYTES ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the idle-session process said \"{line}\" instead of BYTES");
            }

            var fields = line.Split(' ');
            return new IdleResult
            {
                Sessions = sessions,
                ManagedBytesPerSession = (managedAfter - managedBefore) / (double)sessions,
                WorkingSetBytesPerSession = (workingSetAfter - workingSetBefore) / (double)sessions,
                AgentWorkingSetBytesPerSession = agentWorkingSetGrowth / (double)sessions,
                KeepAliveBytes = long.Parse(fields[1], CultureInfo.InvariantCulture),
                WindowSeconds = double.Parse(fields[2], CultureInfo.InvariantCulture),
                SessionsAliveAfterWindow = int.Parse(fields[3], CultureInfo.InvariantCulture),
            };
        }
        finally
        {
            child.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await child.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>Managed heap after a full compacting collection, and the process working set.</summary>
    private static (long Managed, long WorkingSet) Memory()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var self = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: false), self.WorkingSet64);
    }

    private static ProcessStartInfo StartInfo(Uri endpoint, int sessions)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        var info = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (string.Equals(Path.GetFileNameWithoutExtension(self), "dotnet", StringComparison.Ordinal))
        {
            var assembly = typeof(IdleSessions).Assembly.Location;
            info.ArgumentList.Add(assembly.Length > 0 ? assembly : Path.Combine(AppContext.BaseDirectory, "EdgeCloud.LoadTests.dll"));
        }

        info.ArgumentList.Add(IdleSessionsChild.Command);
        info.ArgumentList.Add(endpoint.ToString());
        info.ArgumentList.Add(sessions.ToString(CultureInfo.InvariantCulture));
        return info;
    }
}
