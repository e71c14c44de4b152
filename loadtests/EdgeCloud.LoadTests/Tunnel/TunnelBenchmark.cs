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
        var repeats = 3;
        var opens = quick ? 300 : 3000;
        var window = TimeSpan.FromSeconds(quick ? 35 : 65);
        var loadAtStart = MachineInfo.LoadAverage();
        Console.WriteLine($"EdgeCloud tunnel benchmark ({(quick ? "quick" : "full")}), {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, {Environment.ProcessorCount} CPUs, load {loadAtStart}");

        await using var server = await TunnelBenchServer.StartAsync(cancellationToken);

        // Idle sessions first, while this process holds nothing else.
        Console.WriteLine($"[idle] opening {arguments.IdleSessions:N0} idle sessions from a separate process, then {window.TotalSeconds:0} s of keepalive...");
        var idle = await IdleSessions.MeasureAsync(server, arguments.IdleSessions, window, cancellationToken);
        Console.WriteLine($"[idle] {idle.Sessions:N0} sessions: server managed heap {F(idle.ManagedBytesPerSession / 1024)} KB/session, working set {F(idle.WorkingSetBytesPerSession / 1024)} KB/session; agent working set {F(idle.AgentWorkingSetBytesPerSession / 1024)} KB/session; keepalive {idle.KeepAliveBytes:N0} B in {F(idle.WindowSeconds)} s = {F(idle.KeepAliveBitsPerSecond)} bit/s/session; {idle.SessionsAliveAfterWindow:N0} alive after");
        await MeasurePathsAsync(server, transfer, repeats, opens, idle, loadAtStart, arguments, cancellationToken);
        return 0;
    }

    private static async Task MeasurePathsAsync(TunnelBenchServer server, long transfer, int repeats, int opens, IdleResult idle, string? loadAtStart, TunnelBenchArguments arguments, CancellationToken cancellationToken)
    {
        await using var targets = new AgentTargets();
        await using var agent = new TunnelClient(new TunnelClientOptions
        {
            Endpoints = [server.TunnelUri],
            ConfigureWebSocket = o => o.SetRequestHeader("X-Node", "bench-agent"),
            StreamHandler = AgentTargets.HandleAsync,
        });
        agent.Start();
        await agent.WaitForSessionAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        var cloudSide = await server.Registry.WaitForSessionAsync("bench-agent", cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);

        var (ssh, sshUnavailable) = await SshForward.StartAsync(targets.SinkPort, targets.HelloPort, cancellationToken);
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
                await path.TransferAsync(8 << 20, cancellationToken); // warm-up: JIT, connection pools, TCP windows
                var single = await ThroughputAsync(path, 1, transfer, repeats, cancellationToken);
                var parallel = await ThroughputAsync(path, ParallelStreams, transfer, repeats, cancellationToken);
                var latency1 = await LatencyAsync(path, 1, opens, cancellationToken);
                var latency64 = await LatencyAsync(path, ParallelStreams, opens, cancellationToken);
                var result = new PathResult { Name = path.Name, SingleMiBps = single, ParallelMiBps = parallel, Latency1 = latency1, Latency64 = latency64 };
                results.Add(result);
                Console.WriteLine($"[{path.Name}] 1 stream {F(single)} MiB/s, {ParallelStreams} streams {F(parallel)} MiB/s; open-to-first-byte p50/p99 {F(latency1.P50Ms)}/{F(latency1.P99Ms)} ms (1 at a time), {F(latency64.P50Ms)}/{F(latency64.P99Ms)} ms ({ParallelStreams} at a time)");
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
        var onWire = idle.KeepAliveBitsPerSecond + KeepAliveSegmentsEstimate(idle) * TcpIpHeaderBytes * 8.0 / idle.WindowSeconds / idle.Sessions;
        lines.Add("");
        lines.Add($"== {idle.Sessions:N0} idle sessions from a separate process, keepalive at the defaults (15 s / 45 s) ==");
        lines.Add($"server: {F(idle.ManagedBytesPerSession / 1024)} KB managed heap and {F(idle.WorkingSetBytesPerSession / 1024)} KB working set per session; agent process: {F(idle.AgentWorkingSetBytesPerSession / 1024)} KB working set per session");
        lines.Add($"keepalive: {idle.KeepAliveBytes:N0} bytes of TCP payload in {F(idle.WindowSeconds)} s = {F(idle.KeepAliveBitsPerSecond)} bit/s per session (≈ {F(onWire)} bit/s with IP and TCP headers, estimated); {idle.SessionsAliveAfterWindow:N0} of {idle.Sessions:N0} sessions alive after");
        var checks = new List<(string Name, double Value, string Goal, bool Passed)>
        {
            ("single-stream throughput / raw WebSocket", tunnel.SingleMiBps / raw.SingleMiBps, $"≥ {ThroughputRatioGoal:0.0}x", tunnel.SingleMiBps / raw.SingleMiBps >= ThroughputRatioGoal),
            ($"{ParallelStreams}-stream aggregate / raw WebSocket", tunnel.ParallelMiBps / raw.SingleMiBps, $"≥ {ThroughputRatioGoal:0.0}x", tunnel.ParallelMiBps / raw.SingleMiBps >= ThroughputRatioGoal),
            ("server memory per idle session (working set, KB)", idle.WorkingSetBytesPerSession / 1024, "< 64 KB", idle.WorkingSetBytesPerSession < MemoryGoalBytes),
            ("idle keepalive per session (TCP payload, bit/s)", idle.KeepAliveBitsPerSecond, "≤ 50 bit/s", idle.KeepAliveBitsPerSecond <= KeepAliveGoalBitsPerSecond),
            ("idle sessions all alive after the window", idle.SessionsAliveAfterWindow, $"= {idle.Sessions}", idle.SessionsAliveAfterWindow == idle.Sessions),
        };
        lines.Add("");
        lines.Add("== Targets ==");
        lines.AddRange(checks.Select(c => $"{(c.Passed ? "PASS" : "FAIL")}  {c.Name,-50} {F(c.Value),10}  (goal {c.Goal})"));
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        Directory.CreateDirectory(arguments.OutputDirectory);
        var json = Path.Combine(arguments.OutputDirectory, "tunnel-bench.json");
        var report = new JsonObject
        {
            ["machine"] = new JsonObject { ["cpus"] = Environment.ProcessorCount, ["os"] = Environment.OSVersion.ToString(), ["loadAverageAtStart"] = loadAtStart, ["loadAverageAtEnd"] = MachineInfo.LoadAverage() },
            ["settings"] = new JsonObject { ["quick"] = arguments.Quick, ["transferBytes"] = transfer, ["repeats"] = repeats, ["opens"] = opens, ["parallelStreams"] = ParallelStreams, ["idleSessions"] = idle.Sessions },
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

    /// <summary>Segments of the idle window: per keepalive exchange a Ping, a Pong and a pure ACK.</summary>
    private static double KeepAliveSegmentsEstimate(IdleResult idle) => idle.KeepAliveBytes / 16.0 * 3;

    /// <summary>MiB/s of the median of <paramref name="repeats"/> runs moving <paramref name="total"/> bytes over <paramref name="streams"/> streams at once.</summary>
    private static async Task<double> ThroughputAsync(IBenchPath path, int streams, long total, int repeats, CancellationToken cancellationToken)
    {
        var rates = new List<double>();
        for (var run = 0; run < repeats; run++)
        {
            var started = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => Task.Run(() => path.TransferAsync(total / streams, cancellationToken), cancellationToken)));
            rates.Add(total / (double)(1 << 20) / Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        return LatencySummary.Median(rates);
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
