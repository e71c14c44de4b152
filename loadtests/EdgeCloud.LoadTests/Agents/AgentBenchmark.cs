using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using EdgeCloud.LoadTests.Api;

namespace EdgeCloud.LoadTests.Agents;

/// <summary>
/// The edge-agent benchmark (issue 6): a real edgecloud and a real edge-agent (process runtime) in their own data
/// directories. Measures the agent's memory idle and with 10 running pods beside a trivial .NET process of the same
/// run (and idle agents with other GC settings), the apply-to-Running latency of bare pods created for its node, and
/// its idle uplink traffic over its connection to the cloud. Targets: idle RSS under 30 MiB, p99 create-to-Running
/// under 1 s, idle uplink at most 0.1 kbit/s.
/// </summary>
[SupportedOSPlatform("linux")]
internal static partial class AgentBenchmark
{
    private const string MainNode = "bench-agent";
    private const int WatchClient = AgentBenchArguments.Clients;
    private const int MiscClient = AgentBenchArguments.Clients + 1;

    /// <summary>Join traffic (registration, the first pod list, status) is over by then; the idle uplink window starts.</summary>
    private static readonly TimeSpan UplinkGrace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The edge-agent measured: EDGECLOUD_BENCH_AGENT when set (e.g. the trimmed single-file of
    /// dotnet publish -c Release -r linux-x64, as shipped), else the framework-dependent build beside the load tests.
    /// </summary>
    internal static string AgentExecutable =>
        Environment.GetEnvironmentVariable("EDGECLOUD_BENCH_AGENT") is { Length: > 0 } path ? Path.GetFullPath(path) : Path.Combine(AppContext.BaseDirectory, "edge-agent");

    /// <summary>The idle agents started beside the measured one, each with one runtime setting (or a combination).</summary>
    private static readonly (string Node, string Label, Dictionary<string, string> Environment)[] Variants =
    [
        ("bench-gc-workstation", "DOTNET_gcServer=0", new() { ["DOTNET_gcServer"] = "0" }),
        ("bench-gc-nonconcurrent", "DOTNET_gcConcurrent=0", new() { ["DOTNET_gcConcurrent"] = "0" }),
        ("bench-gc-gen0", "DOTNET_GCgen0size=0x200000 (2 MiB)", new() { ["DOTNET_GCgen0size"] = "0x200000" }),
        ("bench-gc-conserve", "DOTNET_GCConserveMemory=9", new() { ["DOTNET_GCConserveMemory"] = "9" }),
        ("bench-gc-hardlimit", "DOTNET_GCHeapHardLimit=0x2000000 (32 MiB)", new() { ["DOTNET_GCHeapHardLimit"] = "0x2000000" }),
        // W^X (on by default since .NET 7) maps JIT code twice through a memfd ("doublemapper" in smaps).
        ("bench-wx-off", "DOTNET_EnableWriteXorExecute=0", new() { ["DOTNET_EnableWriteXorExecute"] = "0" }),
        ("bench-tiered-pgo", "DOTNET_TieredPGO=0", new() { ["DOTNET_TieredPGO"] = "0" }),
        ("bench-gc-combined", "gcConcurrent=0 + GCgen0size=0x200000 + GCConserveMemory=9", new() { ["DOTNET_gcConcurrent"] = "0", ["DOTNET_GCgen0size"] = "0x200000", ["DOTNET_GCConserveMemory"] = "9" }),
    ];

    public static async Task<int> RunAsync(AgentBenchArguments arguments, CancellationToken cancellationToken)
    {
        var loadAtStart = MachineInfo.LoadAverage();
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"edge-agent: {AgentExecutable}");
        Console.WriteLine($"EdgeCloud agent benchmark ({(arguments.Quick ? "quick" : "full")}), {started:yyyy-MM-dd HH:mm:ss} UTC, {Environment.ProcessorCount} CPUs, load average {loadAtStart ?? "?"}: {arguments.Pods} pods, settle {arguments.Settle.TotalSeconds:0} s, idle uplink window {arguments.UplinkWindow.TotalSeconds:0} s");
        AgentBenchResult result;
        await using (var server = await EdgeCloudProcess.StartAsync("agentbench", AgentBenchArguments.Clients + 2, cancellationToken))
        {
            Console.WriteLine($"edgecloud serving {server.Address} after {server.Startup.TotalMilliseconds:N0} ms");
            result = await MeasureAsync(server, arguments, cancellationToken);
        }

        var lines = Summarize(arguments, result).ToList();
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        var loadAtEnd = MachineInfo.LoadAverage();
        Directory.CreateDirectory(arguments.OutputDirectory);
        var json = Path.Combine(arguments.OutputDirectory, "agent-bench.json");
        var markdown = Path.Combine(arguments.OutputDirectory, "agent-bench.md");
        await File.WriteAllTextAsync(json, Report(arguments, result, started, clock.Elapsed, loadAtStart, loadAtEnd).ToJsonString(new() { WriteIndented = true }), cancellationToken);
        await File.WriteAllTextAsync(markdown, Markdown(arguments, result, lines, started, clock.Elapsed, loadAtStart, loadAtEnd), cancellationToken);
        Console.WriteLine($"wrote {json} and {markdown} ({clock.Elapsed.TotalSeconds:0} s in all)");
        return result.Concurrent.Running == result.Concurrent.Pods && result.Sequential.Running == result.Sequential.Pods ? 0 : 1;
    }

    private static async Task<AgentBenchResult> MeasureAsync(EdgeCloudProcess server, AgentBenchArguments arguments, CancellationToken cancellationToken)
    {
        var port = server.Address.Port;
        var variants = new List<BenchAgent>();
        using var baseline = IdleBaselineChild.Start();
        try
        {
            // Everything starts at once so that the idle windows line up; the measured agent has no DOTNET_* setting.
            var startedAt = Stopwatch.GetTimestamp();
            await using var agent = BenchAgent.Start(AgentExecutable, server, MainNode, "default (no DOTNET_* set)", new Dictionary<string, string>());
            try
            {
                foreach (var (node, label, environment) in Variants)
                {
                    variants.Add(BenchAgent.Start(AgentExecutable, server, node, label, environment));
                }

                Console.WriteLine($"started edge-agent {MainNode} (pid {agent.ProcessId}), {variants.Count} idle agents with other runtime settings and the baseline process (pid {baseline.Id}); waiting for Ready...");
                var readyAt = await NodeReadiness.WaitAsync(server.Client(MiscClient), [MainNode, .. variants.Select(static v => v.NodeName)], TimeSpan.FromSeconds(120), cancellationToken);
                var agentReady = readyAt[MainNode];
                Console.WriteLine($"  {MainNode} Ready after {Stopwatch.GetElapsedTime(startedAt, agentReady).TotalMilliseconds:N0} ms; all {readyAt.Count} agents Ready after {Stopwatch.GetElapsedTime(startedAt, readyAt.Values.Max()).TotalMilliseconds:N0} ms");

                var idle = await MeasureIdleAsync(agent, variants, baseline, port, agentReady, arguments, cancellationToken);
                var variantResults = variants.Select((v, i) => new MemoryVariant
                {
                    Label = v.Label,
                    ReadyMs = Stopwatch.GetElapsedTime(startedAt, readyAt[v.NodeName]).TotalMilliseconds,
                    AtSettle = idle.VariantsAtSettle[i],
                    AtEnd = idle.VariantsAtEnd[i],
                }).ToList();

                // The other agents and the baseline are done: stop them before the pods run.
                foreach (var variant in variants)
                {
                    await variant.DisposeAsync();
                }

                variants.Clear();
                baseline.Kill();
                await baseline.WaitForExitAsync(cancellationToken);

                var withPods = await MeasureWithPodsAsync(server, agent, arguments, cancellationToken);
                var (concurrent, withMeasured) = await MeasureStartsAsync(server, agent, "latency", AgentBenchArguments.Clients, arguments.Pods, cancellationToken);
                var (sequential, _) = await MeasureStartsAsync(server, agent, "latency-seq", 1, arguments.Pods, cancellationToken);
                return new AgentBenchResult
                {
                    ServerStartupMs = server.Startup.TotalMilliseconds,
                    AgentReadyMs = Stopwatch.GetElapsedTime(startedAt, agentReady).TotalMilliseconds,
                    Baseline = idle.Baseline,
                    Idle = idle.AgentAtSettle,
                    IdleEnd = idle.AgentAtEnd,
                    IdleMappings = idle.Mappings,
                    IdleCpuMsPerSecond = idle.CpuMsPerSecond,
                    AgentExecutable = AgentExecutable,
                    WithPods = withPods,
                    WithMeasuredPods = withMeasured,
                    Variants = variantResults,
                    Uplink = idle.Uplink,
                    UplinkError = idle.UplinkError,
                    Concurrent = concurrent,
                    Sequential = sequential,
                };
            }
            catch (Exception error) when (agent.HasExited)
            {
                throw new InvalidOperationException($"edge-agent exited; its last output:\n{agent.LastOutput}", error);
            }
        }
        finally
        {
            foreach (var variant in variants)
            {
                await variant.DisposeAsync();
            }

            if (!baseline.HasExited)
            {
                baseline.Kill();
            }
        }
    }

    private sealed record IdleMeasurement(
        ProcessMemory? AgentAtSettle,
        ProcessMemory? AgentAtEnd,
        ProcessMemory? Baseline,
        ProcessMemory?[] VariantsAtSettle,
        ProcessMemory?[] VariantsAtEnd,
        IReadOnlyList<KeyValuePair<string, long>> Mappings,
        double CpuMsPerSecond,
        UplinkResult? Uplink,
        string? UplinkError);

    /// <summary>
    /// The idle window: from <see cref="UplinkGrace"/> after Ready, the agent's TCP counters every second for the uplink
    /// window; memory of every process at the settle point (Ready + settle) and at the end of the window.
    /// </summary>
    private static async Task<IdleMeasurement> MeasureIdleAsync(BenchAgent agent, List<BenchAgent> variants, Process baseline, int port, long agentReady,
        AgentBenchArguments arguments, CancellationToken cancellationToken)
    {
        var windowStart = agentReady + (long)(UplinkGrace.TotalSeconds * Stopwatch.Frequency);
        if (Stopwatch.GetTimestamp() < windowStart)
        {
            await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), windowStart), cancellationToken);
        }

        Console.WriteLine($"idle: uplink window of {arguments.UplinkWindow.TotalSeconds:0} s, memory at {arguments.Settle.TotalSeconds:0} s after Ready and at the end...");
        string? uplinkError = null;
        TcpCounters? first = null;
        TcpCounters? previous = null;
        var perSecond = new List<long>();
        try
        {
            first = previous = await TcpCounters.ReadAsync(agent.ProcessId, port, cancellationToken);
            if (first.Connections == 0)
            {
                uplinkError = "ss showed no connection of the agent to the cloud port";
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            uplinkError = "ss (iproute2) could not be read: " + e.Message;
        }

        var cpuBefore = agent.CpuTime;
        var cpuClock = Stopwatch.StartNew();
        ProcessMemory? agentAtSettle = null, baselineAtSettle = null;
        ProcessMemory?[] variantsAtSettle = [];
        IReadOnlyList<KeyValuePair<string, long>> mappings = [];
        var settlePoint = agentReady + (long)(arguments.Settle.TotalSeconds * Stopwatch.Frequency);
        using var timer = new PeriodicTimer(SampleInterval);
        var samples = (int)Math.Round(arguments.UplinkWindow / SampleInterval);
        for (var i = 0; i < samples; i++)
        {
            await timer.WaitForNextTickAsync(cancellationToken);
            if (agentAtSettle is null && Stopwatch.GetTimestamp() >= settlePoint)
            {
                agentAtSettle = ProcessMemory.Read(agent.ProcessId);
                baselineAtSettle = ProcessMemory.Read(baseline.Id);
                variantsAtSettle = [.. variants.Select(static v => ProcessMemory.Read(v.ProcessId))];
                mappings = RssByMapping.Largest(agent.ProcessId, 10);
                Console.WriteLine($"  {MainNode} at {arguments.Settle.TotalSeconds:0} s after Ready: {agentAtSettle}; baseline: {baselineAtSettle}");
            }

            if (previous is not null && uplinkError is null)
            {
                var now = await TcpCounters.ReadAsync(agent.ProcessId, port, cancellationToken);
                perSecond.Add(now.BytesAcked - previous.BytesAcked);
                previous = now;
            }
        }

        var cpu = (agent.CpuTime - cpuBefore).TotalMilliseconds / cpuClock.Elapsed.TotalSeconds;
        var agentAtEnd = ProcessMemory.Read(agent.ProcessId);
        var variantsAtEnd = variants.Select(static v => ProcessMemory.Read(v.ProcessId)).ToArray();
        Console.WriteLine($"  {MainNode} at the end of the idle window: {agentAtEnd}; {cpu:0.00} ms CPU/s");
        UplinkResult? uplink = null;
        if (first is not null && previous is not null && uplinkError is null)
        {
            uplink = new UplinkResult { WindowSeconds = samples * SampleInterval.TotalSeconds, Delta = previous - first, Bursts = Bursts(perSecond) };
            Console.WriteLine($"  uplink: {uplink.Delta.BytesAcked:N0} bytes in {uplink.Delta.SegmentsOut:N0} segments over {uplink.WindowSeconds:0} s on {uplink.Delta.Connections} connection(s)");
        }

        return new IdleMeasurement(agentAtSettle, agentAtEnd, baselineAtSettle, variantsAtSettle, variantsAtEnd, mappings, cpu, uplink, uplinkError);
    }

    /// <summary>Sums runs of consecutive non-zero per-second deltas: one burst is one exchange (a renewal, a keepalive).</summary>
    private static List<long> Bursts(List<long> perSecond)
    {
        var bursts = new List<long>();
        var current = 0L;
        foreach (var bytes in perSecond)
        {
            if (bytes > 0)
            {
                current += bytes;
            }
            else if (current > 0)
            {
                bursts.Add(current);
                current = 0;
            }
        }

        if (current > 0)
        {
            bursts.Add(current);
        }

        return bursts;
    }

    /// <summary>A Deployment of 10 replicas pinned to the agent's node; memory once they have run for the pods' settle window; then deleted.</summary>
    private static async Task<ProcessMemory?> MeasureWithPodsAsync(EdgeCloudProcess server, BenchAgent agent, AgentBenchArguments arguments, CancellationToken cancellationToken)
    {
        const string ns = "agent-rss";
        var client = server.Client(MiscClient);
        await CreateNamespaceAsync(client, ns, cancellationToken);
        await using var watch = await PodPhaseWatch.StartAsync(server.Client(WatchClient), ns, cancellationToken);
        var clock = Stopwatch.StartNew();
        using (var response = await client.PostAsync($"apis/apps/v1/namespaces/{ns}/deployments", EdgeCloudProcess.Json(DeploymentJson("sleepers", AgentBenchArguments.MemoryPods)), cancellationToken))
        {
            await EdgeCloudProcess.EnsureAsync(response, HttpStatusCode.Created, cancellationToken);
        }

        await watch.WaitAsync(static w => w.Running >= AgentBenchArguments.MemoryPods, TimeSpan.FromSeconds(60), $"{AgentBenchArguments.MemoryPods} pods Running", cancellationToken);
        Console.WriteLine($"{AgentBenchArguments.MemoryPods} pods of a Deployment Running after {clock.Elapsed.TotalMilliseconds:N0} ms; memory in {arguments.PodsSettle.TotalSeconds:0} s...");
        await Task.Delay(arguments.PodsSettle, cancellationToken);
        var memory = ProcessMemory.Read(agent.ProcessId);
        Console.WriteLine($"  {MainNode} with {AgentBenchArguments.MemoryPods} running pods: {memory}");

        using (var delete = new HttpRequestMessage(HttpMethod.Delete, $"apis/apps/v1/namespaces/{ns}/deployments/sleepers") { Content = EdgeCloudProcess.Json("""{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"}""") })
        using (var response = await client.SendAsync(delete, cancellationToken))
        {
            await EdgeCloudProcess.EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
        }

        await watch.WaitAsync(static w => w.Live == 0, TimeSpan.FromSeconds(60), "the Deployment's pods deleted", cancellationToken);
        return memory;
    }

    /// <summary>
    /// Creates <paramref name="pods"/> bare pods for the agent's node (nodeSelector, no nodeName) from <paramref name="clients"/>
    /// clients while a watch records when each is bound and Running; then deletes them and waits until they are gone.
    /// Also returns the agent's memory right after the last one is Running.
    /// </summary>
    private static async Task<(StartLatencyResult Result, ProcessMemory? Memory)> MeasureStartsAsync(EdgeCloudProcess server, BenchAgent agent, string ns, int clients, int pods,
        CancellationToken cancellationToken)
    {
        await CreateNamespaceAsync(server.Client(MiscClient), ns, cancellationToken);
        await using var watch = await PodPhaseWatch.StartAsync(server.Client(WatchClient), ns, cancellationToken);
        var starts = new long[pods];
        var create = await ConcurrentRunner.RunAsync($"create ({clients} clients)", clients, pods, async (client, index, ct) =>
        {
            starts[index] = Stopwatch.GetTimestamp();
            using var response = await server.Client(client).PostAsync($"api/v1/namespaces/{ns}/pods", EdgeCloudProcess.Json(PodJson(PodName(index))), ct);
            await EdgeCloudProcess.EnsureAsync(response, HttpStatusCode.Created, ct);
        }, cancellationToken);
        var deadline = TimeSpan.FromSeconds(60 + pods);
        try
        {
            await watch.WaitAsync(w => w.Running >= pods, deadline, $"{pods} pods Running", cancellationToken);
        }
        catch (TimeoutException e)
        {
            Console.WriteLine($"  {e.Message}");
        }

        var memory = ProcessMemory.Read(agent.ProcessId);
        List<long> toBound = [], boundToRunning = [], toRunning = [];
        var lastRunning = 0L;
        for (var i = 0; i < pods; i++)
        {
            var bound = watch.BoundAt(PodName(i));
            var running = watch.RunningAt(PodName(i));
            if (bound is { } b)
            {
                toBound.Add(b - starts[i]);
            }

            if (running is { } r)
            {
                toRunning.Add(r - starts[i]);
                lastRunning = Math.Max(lastRunning, r);
                if (bound is { } bb)
                {
                    boundToRunning.Add(r - bb);
                }
            }
        }

        var result = new StartLatencyResult
        {
            Pods = pods,
            Create = create,
            Running = toRunning.Count,
            CreateToBound = LatencySummary.FromTicks(toBound),
            BoundToRunning = LatencySummary.FromTicks(boundToRunning),
            CreateToRunning = LatencySummary.FromTicks(toRunning),
            AllRunningSeconds = lastRunning == 0 ? 0 : Stopwatch.GetElapsedTime(starts.Min(), lastRunning).TotalSeconds,
        };
        Console.WriteLine($"{pods} bare pods, {clients} client(s): {result.Running}/{pods} Running, all in {F(result.AllRunningSeconds)} s; create-to-Running p50 {F(result.CreateToRunning?.P50Ms)} ms p99 {F(result.CreateToRunning?.P99Ms)} ms");

        await ConcurrentRunner.RunAsync("delete", AgentBenchArguments.Clients, pods, async (client, index, ct) =>
        {
            using var response = await server.Client(client).DeleteAsync($"api/v1/namespaces/{ns}/pods/{PodName(index)}", ct);
            await EdgeCloudProcess.EnsureAsync(response, HttpStatusCode.OK, ct);
        }, cancellationToken);
        await watch.WaitAsync(static w => w.Live == 0, TimeSpan.FromSeconds(60 + pods), $"the {ns} pods deleted", cancellationToken);
        return (result, memory);
    }

    private static async Task CreateNamespaceAsync(HttpClient client, string ns, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsync("api/v1/namespaces", EdgeCloudProcess.Json($$$"""{"metadata":{"name":"{{{ns}}}"}}"""), cancellationToken);
        await EdgeCloudProcess.EnsureAsync(response, HttpStatusCode.Created, cancellationToken);
    }

    private static string PodName(int index) => "pod-" + index.ToString("D4", CultureInfo.InvariantCulture);

    // No readiness probe: a container is ready once it runs. A short grace period: sleep exits on SIGTERM at once.
    private static string PodSpecJson() => $$$"""
        {"nodeSelector":{"kubernetes.io/hostname":{{{JsonSerializer.Serialize(MainNode)}}}},"terminationGracePeriodSeconds":2,
         "containers":[{"name":"main","image":"busybox","command":["sh","-c","exec sleep 3600"]}]}
        """;

    private static string PodJson(string name) =>
        $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","labels":{"app":"latency"}},"spec":""" + PodSpecJson() + "}";

    private static string DeploymentJson(string name, int replicas) =>
        $$$"""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"{{{name}}}"},"spec":{"replicas":{{{replicas}}},"selector":{"matchLabels":{"app":"{{{name}}}"}},"template":{"metadata":{"labels":{"app":"{{{name}}}"}},"spec":"""
        + PodSpecJson() + "}}}";

    private static string F(double? value) => value is { } v ? v.ToString(v >= 100 ? "N0" : "0.00", CultureInfo.InvariantCulture) : "n/a";
}
