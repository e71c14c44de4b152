using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Tunnel;

namespace EdgeCloud.LoadTests.Tunnel;

/// <summary>
/// The tunnel benchmark (issue 5): one session carrying 1 and 64 streams, cloud to agent, beside a raw WebSocket
/// on the same loopback and Kestrel and beside <c>ssh -R</c> in the same run: throughput and open-to-first-byte
/// latency; then N idle sessions from a separate process: server memory per session and keepalive traffic.
/// Targets: single-stream throughput ≥ 0.8 × raw; 64-stream aggregate ≥ 0.8 × raw; server memory per idle
/// session &lt; 64 KB; idle keepalive ≤ 50 bit/s per session.
/// </summary>
internal static class TunnelBenchmark
{
    private const int ParallelStreams = 64;
    private const double ThroughputRatioGoal = 0.8;
    private const double MemoryGoalBytes = 64 * 1024;
    private const double KeepAliveGoalBitsPerSecond = 50;

    /// <summary>IPv4 (20) and TCP with timestamps (32) per segment; the idle exchange is a Ping, a Pong and an ACK.</summary>
    private const int TcpIpHeaderBytes = 52;

    public static async Task<int> RunAsync(TunnelBenchArguments arguments, CancellationToken cancellationToken)
    {
        var quick = arguments.Quick;
        var transfer = quick ? 128L << 20 : 1L << 30;
        var repeats = 5;
        var opens = quick ? 300 : 3000;
        var window = TimeSpan.FromSeconds(quick ? 35 : 65);
        var loadAtStart = MachineInfo.LoadAverage();
        Console.WriteLine($"EdgeCloud tunnel benchmark ({(quick ? "quick" : "full")}), {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, {Environment.ProcessorCount} CPUs, load {loadAtStart}");

        await using var server = await TunnelBenchServer.StartAsync(cancellationToken);

        // Idle sessions first, while this process holds nothing else.
        IdleResult? idle = null;
        if (!arguments.SkipIdle)
        {
            Console.WriteLine($"[idle] opening {arguments.IdleSessions:N0} idle sessions from a separate process, then {window.TotalSeconds:0} s of keepalive...");
            idle = await IdleSessions.MeasureAsync(server, arguments.IdleSessions, window, cancellationToken);
            Console.WriteLine($"[idle] {idle.Sessions:N0} sessions: server managed heap {F(idle.ManagedBytesPerSession / 1024)} KB/session, working set {F(idle.WorkingSetBytesPerSession / 1024)} KB/session; agent working set {F(idle.AgentWorkingSetBytesPerSession / 1024)} KB/session; keepalive {idle.KeepAliveBytes:N0} B in {F(idle.WindowSeconds)} s = {F(idle.KeepAliveBitsPerSecond)} bit/s/session; {idle.SessionsAliveAfterWindow:N0} alive after");
        }

        await MeasurePathsAsync(server, transfer, repeats, opens, idle, loadAtStart, arguments, cancellationToken);
        return 0;
    }

    private static async Task MeasurePathsAsync(TunnelBenchServer server, long transfer, int repeats, int opens, IdleResult? idle, string? loadAtStart, TunnelBenchArguments arguments, CancellationToken cancellationToken)
    {
        await using var targets = new LoopbackTargets();
        await using var agent = new TunnelClient(new TunnelClientOptions
        {
            Endpoints = [server.TunnelUri],
            ConfigureWebSocket = o => o.SetRequestHeader("X-Node", "bench-agent"),
            StreamHandler = AgentTargets.HandleAsync,
        });
        agent.Start();
        await agent.WaitForSessionAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        var cloudSide = await server.Registry.WaitForSessionAsync("bench-agent", cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);

        var (ssh, sshUnavailable) = arguments.SkipSsh ? (null, "--skip-ssh") : await SshForward.StartAsync(targets.SinkPort, targets.HelloPort, cancellationToken);
        var paths = new List<IBenchPath> { new RawWebSocketPath(server), new TunnelPath(cloudSide) };
        if (ssh is not null)
        {
            paths.Add(new SshPath(ssh));
        }
        else
        {
            Console.WriteLine($"[ssh -R] not measured: {sshUnavailable}");
        }

        var results = new List<PathResult>();
        try
        {
            foreach (var path in paths)
            {
                // Warm-up, one unmeasured run of each kind: the JIT's optimized tier (without it a quick run mostly
                // measures instrumented code, the tunnel's more than Kestrel's), connection pools, TCP windows.
                await path.TransferAsync(transfer, cancellationToken);
                await Task.WhenAll(Enumerable.Range(0, ParallelStreams).Select(_ => Task.Run(() => path.TransferAsync(transfer / ParallelStreams, cancellationToken), cancellationToken)));
            }

            // The paths take turns run by run, so that a change of load on the (shared) machine hits all of them
            // alike instead of whichever path happened to be measured at that moment.
            var single = await InterleavedThroughputAsync(paths, 1, transfer, repeats, cancellationToken);
            var parallel = await InterleavedThroughputAsync(paths, ParallelStreams, transfer, repeats, cancellationToken);
            for (var i = 0; i < paths.Count; i++)
            {
                var path = paths[i];
                var latency1 = await LatencyAsync(path, 1, opens, cancellationToken);
                var latency64 = await LatencyAsync(path, ParallelStreams, opens, cancellationToken);
                var result = new PathResult { Name = path.Name, SingleMiBps = single.MiBps[i], ParallelMiBps = parallel.MiBps[i], SingleCpuMsPerMiB = single.CpuMsPerMiB[i], ParallelCpuMsPerMiB = parallel.CpuMsPerMiB[i], Latency1 = latency1, Latency64 = latency64 };
                results.Add(result);
                Console.WriteLine($"[{path.Name}] 1 stream {F(result.SingleMiBps)} MiB/s ({F(result.SingleCpuMsPerMiB)} CPU ms/MiB), {ParallelStreams} streams {F(result.ParallelMiBps)} MiB/s ({F(result.ParallelCpuMsPerMiB)} CPU ms/MiB); open-to-first-byte p50/p99 {F(latency1.P50Ms)}/{F(latency1.P99Ms)} ms (1 at a time), {F(latency64.P50Ms)}/{F(latency64.P99Ms)} ms ({ParallelStreams} at a time)");
            }
        }
        finally
        {
            if (ssh is not null)
            {
                await ssh.DisposeAsync();
            }
        }

        var raw = results[0];
        var tunnel = results[1];
        var lines = new List<string>
        {
            "",
            "== Cloud to agent over loopback (same run, same machine) ==",
            $"{"path",-14} {"1 stream MiB/s",15} {ParallelStreams + " streams MiB/s",16} {"open→1st byte p50/p99 ms",26} {"(64 at a time)",18}",
        };
        lines.AddRange(results.Select(r => $"{r.Name,-14} {F(r.SingleMiBps),15} {F(r.ParallelMiBps),16} {F(r.Latency1.P50Ms) + " / " + F(r.Latency1.P99Ms),26} {F(r.Latency64.P50Ms) + " / " + F(r.Latency64.P99Ms),18}"));
        lines.Add($"CPU time of this process (both ends) per MiB moved: {string.Join(", ", results.Select(r => $"{r.Name} {F(r.SingleCpuMsPerMiB)} ms (1 stream) / {F(r.ParallelCpuMsPerMiB)} ms ({ParallelStreams} streams)"))}; ssh -R's CPU is mostly in ssh and sshd, not counted");
        lines.Add($"tunnel / raw WebSocket: 1 stream {F(tunnel.SingleMiBps / raw.SingleMiBps)}x, {ParallelStreams} streams {F(tunnel.ParallelMiBps / raw.SingleMiBps)}x (of one raw WebSocket; {F(tunnel.ParallelMiBps / raw.ParallelMiBps)}x of {ParallelStreams} raw WebSockets)");
        if (results.Count > 2)
        {
            var sshResult = results[2];
            lines.Add($"tunnel / ssh -R: 1 stream {F(tunnel.SingleMiBps / sshResult.SingleMiBps)}x, {ParallelStreams} streams {F(tunnel.ParallelMiBps / sshResult.ParallelMiBps)}x; open p50 {F(tunnel.Latency1.P50Ms)} vs {F(sshResult.Latency1.P50Ms)} ms");
        }
        else
        {
            lines.Add($"ssh -R: not measured ({sshUnavailable})");
        }

        lines.Add("raw WebSocket open = a new WebSocket (TCP + upgrade); tunnel open = a new stream on the live session; ssh -R open = TCP connect + ssh channel + TCP connect on the agent.");
        var checks = new List<(string Name, double Value, string Goal, bool Passed)>
        {
            ("single-stream throughput / raw WebSocket", tunnel.SingleMiBps / raw.SingleMiBps, $"≥ {ThroughputRatioGoal:0.0}x", tunnel.SingleMiBps / raw.SingleMiBps >= ThroughputRatioGoal),
            ($"{ParallelStreams}-stream aggregate / raw WebSocket", tunnel.ParallelMiBps / raw.SingleMiBps, $"≥ {ThroughputRatioGoal:0.0}x", tunnel.ParallelMiBps / raw.SingleMiBps >= ThroughputRatioGoal),
        };
        var onWire = 0.0;
        if (idle is not null)
        {
            onWire = idle.KeepAliveBitsPerSecond + KeepAliveSegmentsEstimate(idle) * TcpIpHeaderBytes * 8.0 / idle.WindowSeconds / idle.Sessions;
            AddIdle(lines, checks, idle, onWire);
        }

        lines.Add("");
        lines.Add("== Targets ==");
        lines.AddRange(checks.Select(c => $"{(c.Passed ? "PASS" : "FAIL")}  {c.Name,-50} {F(c.Value),10}  (goal {c.Goal})"));
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        if (idle is null)
        {
            Console.WriteLine("idle sessions not measured (--skip-idle): no report written");
            return;
        }

        Directory.CreateDirectory(arguments.OutputDirectory);
        var json = Path.Combine(arguments.OutputDirectory, "tunnel-bench.json");
        var report = new JsonObject
        {
            ["machine"] = new JsonObject { ["cpus"] = Environment.ProcessorCount, ["os"] = Environment.OSVersion.ToString(), ["loadAverageAtStart"] = loadAtStart, ["loadAverageAtEnd"] = MachineInfo.LoadAverage() },
            ["settings"] = new JsonObject { ["quick"] = arguments.Quick, ["transferBytes"] = transfer, ["repeats"] = repeats, ["opens"] = opens, ["parallelStreams"] = ParallelStreams, ["idleSessions"] = idle.Sessions, ["interleavedRuns"] = true },
            ["paths"] = new JsonArray([.. results.Select(r => (JsonNode)r.ToJson())]),
            ["sshUnavailable"] = sshUnavailable,
            ["idle"] = new JsonObject
            {
                ["sessions"] = idle.Sessions,
                ["serverManagedBytesPerSession"] = idle.ManagedBytesPerSession,
                ["serverWorkingSetBytesPerSession"] = idle.WorkingSetBytesPerSession,
                ["agentWorkingSetBytesPerSession"] = idle.AgentWorkingSetBytesPerSession,
                ["keepAliveWindowSeconds"] = idle.WindowSeconds,
                ["keepAliveTcpPayloadBytes"] = idle.KeepAliveBytes,
                ["keepAliveBitsPerSecondPerSession"] = idle.KeepAliveBitsPerSecond,
                ["keepAliveBitsPerSecondPerSessionWithHeadersEstimate"] = onWire,
                ["sessionsAliveAfterWindow"] = idle.SessionsAliveAfterWindow,
            },
            ["targets"] = new JsonArray([.. checks.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["value"] = c.Value, ["goal"] = c.Goal, ["passed"] = c.Passed })]),
        };
        await File.WriteAllTextAsync(json, report.ToJsonString(new() { WriteIndented = true }), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(arguments.OutputDirectory, "tunnel-bench.md"), "# EdgeCloud tunnel benchmark\n\n```\n" + string.Join('\n', lines) + "\n```\n", cancellationToken);
        Console.WriteLine($"wrote {json} and tunnel-bench.md");
    }

    private static void AddIdle(List<string> lines, List<(string Name, double Value, string Goal, bool Passed)> checks, IdleResult idle, double onWire)
    {
        lines.Add("");
        lines.Add($"== {idle.Sessions:N0} idle sessions from a separate process, keepalive at the defaults (15 s / 45 s) ==");
        lines.Add($"server: {F(idle.ManagedBytesPerSession / 1024)} KB managed heap and {F(idle.WorkingSetBytesPerSession / 1024)} KB working set per session; agent process: {F(idle.AgentWorkingSetBytesPerSession / 1024)} KB working set per session");
        lines.Add($"keepalive: {idle.KeepAliveBytes:N0} bytes of TCP payload in {F(idle.WindowSeconds)} s = {F(idle.KeepAliveBitsPerSecond)} bit/s per session (≈ {F(onWire)} bit/s with IP and TCP headers, estimated); {idle.SessionsAliveAfterWindow:N0} of {idle.Sessions:N0} sessions alive after");
        checks.Add(("server memory per idle session (working set, KB)", idle.WorkingSetBytesPerSession / 1024, "< 64 KB", idle.WorkingSetBytesPerSession < MemoryGoalBytes));
        checks.Add(("idle keepalive per session (TCP payload, bit/s)", idle.KeepAliveBitsPerSecond, "≤ 50 bit/s", idle.KeepAliveBitsPerSecond <= KeepAliveGoalBitsPerSecond));
        checks.Add(("idle sessions all alive after the window", idle.SessionsAliveAfterWindow, $"= {idle.Sessions}", idle.SessionsAliveAfterWindow == idle.Sessions));
    }

    /// <summary>Segments of the idle window: per keepalive exchange a Ping, a Pong and a pure ACK.</summary>
    private static double KeepAliveSegmentsEstimate(IdleResult idle) => idle.KeepAliveBytes / 16.0 * 3;

    /// <summary>
    /// Per path, MiB/s of the median of <paramref name="repeats"/> runs moving <paramref name="total"/> bytes over
    /// <paramref name="streams"/> streams at once; run k of every path comes before run k+1 of any.
    /// </summary>
    private static async Task<(double[] MiBps, double[] CpuMsPerMiB)> InterleavedThroughputAsync(IReadOnlyList<IBenchPath> paths, int streams, long total, int repeats, CancellationToken cancellationToken)
    {
        var rates = paths.Select(_ => new List<double>()).ToArray();
        var cpu = paths.Select(_ => new List<double>()).ToArray();
        var allocated = paths.Select(_ => new List<double>()).ToArray();
        var gcs = new int[paths.Count];
        var tunnelCounts = paths.Select(_ => (Stalls: 0L, Sends: 0L, Receives: 0L)).ToArray();
        using var counters = new TunnelCounters();
        var contention = new long[paths.Count];
        using var self = Process.GetCurrentProcess();
        var mib = total / (double)(1 << 20);
        for (var run = 0; run < repeats; run++)
        {
            for (var i = 0; i < paths.Count; i++)
            {
                var path = paths[i];
                self.Refresh();
                var cpuBefore = self.TotalProcessorTime;
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
                var gcBefore = GC.CollectionCount(0);
                var countsBefore = counters.Snapshot();
                var contentionBefore = Monitor.LockContentionCount;
                var started = Stopwatch.GetTimestamp();
                await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => Task.Run(() => path.TransferAsync(total / streams, cancellationToken), cancellationToken)));
                rates[i].Add(mib / Stopwatch.GetElapsedTime(started).TotalSeconds);
                self.Refresh();
                cpu[i].Add((self.TotalProcessorTime - cpuBefore).TotalMilliseconds / mib);
                allocated[i].Add((GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore) / mib);
                gcs[i] += GC.CollectionCount(0) - gcBefore;
                var countsAfter = counters.Snapshot();
                contention[i] += Monitor.LockContentionCount - contentionBefore;
                tunnelCounts[i] = (tunnelCounts[i].Stalls + countsAfter.Stalls - countsBefore.Stalls, tunnelCounts[i].Sends + countsAfter.Sends - countsBefore.Sends, tunnelCounts[i].Receives + countsAfter.Receives - countsBefore.Receives);
            }
        }

        for (var i = 0; i < paths.Count; i++)
        {
            Console.WriteLine($"[{paths[i].Name}] {streams} stream(s): {F(LatencySummary.Median(allocated[i]))} bytes allocated per MiB, {gcs[i]} gen0 GCs in {repeats} runs, {F(contention[i] / mib / repeats)} contended locks per MiB; MiB/s per run {string.Join(" ", rates[i].Select(F))}"
                + (paths[i] is TunnelPath ? $"; per MiB {F(tunnelCounts[i].Sends / mib / repeats)} tunnel sends, {F(tunnelCounts[i].Receives / mib / repeats)} receives, {F(tunnelCounts[i].Stalls / mib / repeats)} credit stalls (both ends)" : ""));
        }

        return ([.. rates.Select(LatencySummary.Median)], [.. cpu.Select(LatencySummary.Median)]);
    }

    private static async Task<LatencySummary> LatencyAsync(IBenchPath path, int concurrency, int opens, CancellationToken cancellationToken)
    {
        var ticks = new List<long>(opens);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < opens)
            {
                var started = Stopwatch.GetTimestamp();
                await path.OpenToFirstByteAsync(cancellationToken);
                var elapsed = Stopwatch.GetTimestamp() - started;
                lock (ticks)
                {
                    ticks.Add(elapsed);
                }
            }
        }, cancellationToken)));
        return LatencySummary.FromTicks(ticks)!;
    }

    private static string F(double value) => value.ToString(value >= 100 ? "N0" : "0.00", CultureInfo.InvariantCulture);
}
