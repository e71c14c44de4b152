using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using EdgeCloud.LoadTests.Agents;

namespace EdgeCloud.LoadTests.PortForward;

/// <summary>
/// kubectl port-forward through a real edgecloud, the tunnel and a real edge-agent (process runtime) to a pod's port,
/// beside the same port reached directly on loopback in the same run (the ceiling): throughput on 1 and on 8
/// connections at once, the CPU the server and the agent spend per MiB, and connect-to-first-byte latency, with
/// kubectl 1.33 (SPDY inside a WebSocket) and 1.27 (SPDY). The paths take turns run by run.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class PortForwardBenchmark
{
    private const string Node = "pf-bench";
    private const string Pod = "pf-target";
    private const int ParallelConnections = 8;

    public static async Task<int> RunAsync(PortForwardBenchArguments arguments, CancellationToken cancellationToken)
    {
        var loadAtStart = MachineInfo.LoadAverage();
        var started = DateTimeOffset.UtcNow;
        Console.WriteLine($"EdgeCloud port-forward benchmark ({(arguments.Quick ? "quick" : "full")}), {started:yyyy-MM-dd HH:mm:ss} UTC, {Environment.ProcessorCount} CPUs, load {loadAtStart}");
        await using var targets = new LoopbackTargets();
        await using var server = await EdgeCloudProcess.StartAsync("portforward", 1, cancellationToken);
        await using var agent = BenchAgent.Start(AgentBenchmark.AgentExecutable, server, Node, "port-forward", new Dictionary<string, string>());
        await NodeReadiness.WaitAsync(server.Client(0), [Node], TimeSpan.FromSeconds(120), cancellationToken);
        await StartPodAsync(server.Client(0), cancellationToken);

        var kubeconfig = Path.Combine(server.DataDirectory, "kubeconfig.yaml");
        await using var webSocket = await KubectlForward.StartAsync("1.33", kubeconfig, Pod, [targets.SinkPort, targets.HelloPort, targets.SourcePort], cancellationToken);
        await using var spdy = await KubectlForward.StartAsync("1.27", kubeconfig, Pod, [targets.SinkPort, targets.HelloPort, targets.SourcePort], cancellationToken);
        var paths = new List<ForwardPath>
        {
            new("direct (loopback)", static port => port, null),
            new("kubectl 1.33 (WebSocket)", port => webSocket.LocalPorts[port], webSocket.Process),
            new("kubectl 1.27 (SPDY)", port => spdy.LocalPorts[port], spdy.Process),
        };

        foreach (var path in paths)
        {
            // Warm-up: the JIT's optimized tier in edgecloud and the agent, TCP windows.
            await UploadAsync(path.LocalPort(targets.SinkPort), arguments.TransferBytes / 4, cancellationToken);
            await DownloadAsync(path.LocalPort(targets.SourcePort), arguments.TransferBytes / 4, cancellationToken);
        }

        var single = await ThroughputAsync(paths, p => UploadAsync(p.LocalPort(targets.SinkPort), arguments.TransferBytes, cancellationToken), "upload, 1 connection", arguments, server, agent);
        var parallel = await ThroughputAsync(paths, p => Task.WhenAll(Enumerable.Range(0, ParallelConnections).Select(_ => UploadAsync(p.LocalPort(targets.SinkPort), arguments.TransferBytes / ParallelConnections, cancellationToken))), $"upload, {ParallelConnections} connections", arguments, server, agent);
        var download = await ThroughputAsync(paths, p => DownloadAsync(p.LocalPort(targets.SourcePort), arguments.TransferBytes, cancellationToken), "download, 1 connection", arguments, server, agent);
        var latency = new List<LatencySummary>();
        foreach (var path in paths)
        {
            latency.Add(await OpenLatencyAsync(path.LocalPort(targets.HelloPort), arguments.Opens, cancellationToken));
        }

        var lines = new List<string>
        {
            "",
            $"== kubectl port-forward to a pod's port through edgecloud, the tunnel and the agent (same run, same machine) ==",
            $"{"path",-26} {"up MiB/s",9} {"up, " + ParallelConnections + " conns",12} {"down MiB/s",11} {"server+agent CPU ms/MiB up/down",32} {"connect→1st byte p50/p99 ms",28}",
        };
        for (var i = 0; i < paths.Count; i++)
        {
            lines.Add($"{paths[i].Name,-26} {F(single.MiBps[i]),9} {F(parallel.MiBps[i]),12} {F(download.MiBps[i]),11} {(i == 0 ? "-" : F(single.CpuMsPerMiB[i]) + " / " + F(download.CpuMsPerMiB[i])),32} {F(latency[i].P50Ms) + " / " + F(latency[i].P99Ms),28}");
        }

        for (var i = 1; i < paths.Count; i++)
        {
            lines.Add($"{paths[i].Name} / direct: upload {F(single.MiBps[i] / single.MiBps[0])}x (1 connection), {F(parallel.MiBps[i] / parallel.MiBps[0])}x ({ParallelConnections} connections), download {F(download.MiBps[i] / download.MiBps[0])}x; kubectl's own CPU {F(single.KubectlCpuMsPerMiB[i])} ms/MiB up, {F(download.KubectlCpuMsPerMiB[i])} down");
        }

        lines.Add("direct = the benchmark's own TCP connection to the listener; kubectl's local listener, its SPDY, edgecloud, the tunnel and the agent are what the forwarded paths add.");
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        Directory.CreateDirectory(arguments.OutputDirectory);
        var json = Path.Combine(arguments.OutputDirectory, "portforward-bench.json");
        var report = new JsonObject
        {
            ["machine"] = new JsonObject { ["cpus"] = Environment.ProcessorCount, ["loadAverageAtStart"] = loadAtStart, ["loadAverageAtEnd"] = MachineInfo.LoadAverage() },
            ["settings"] = new JsonObject { ["quick"] = arguments.Quick, ["transferBytes"] = arguments.TransferBytes, ["repeats"] = arguments.Repeats, ["opens"] = arguments.Opens, ["parallelConnections"] = ParallelConnections },
            ["paths"] = new JsonArray([.. paths.Select((p, i) => (JsonNode)new JsonObject
            {
                ["name"] = p.Name,
                ["singleMiBps"] = single.MiBps[i],
                ["parallelMiBps"] = parallel.MiBps[i],
                ["singleServerAgentCpuMsPerMiB"] = single.CpuMsPerMiB[i],
                ["parallelServerAgentCpuMsPerMiB"] = parallel.CpuMsPerMiB[i],
                ["downloadMiBps"] = download.MiBps[i],
                ["downloadServerAgentCpuMsPerMiB"] = download.CpuMsPerMiB[i],
                ["openToFirstByte"] = latency[i].ToJson(),
            })]),
        };
        await File.WriteAllTextAsync(json, report.ToJsonString(new() { WriteIndented = true }), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(arguments.OutputDirectory, "portforward-bench.md"), "# EdgeCloud port-forward benchmark\n\n```\n" + string.Join('\n', lines) + "\n```\n", cancellationToken);
        Console.WriteLine($"wrote {json} and portforward-bench.md");
        return 0;
    }

    /// <summary>A process-runtime pod on the agent's node that only sleeps: the agent must run it for streams to reach it.</summary>
    private static async Task StartPodAsync(HttpClient client, CancellationToken cancellationToken)
    {
        await using var watch = await PodPhaseWatch.StartAsync(client, "default", cancellationToken);
        var pod = $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{Pod}}}"},"spec":{"nodeName":"{{{Node}}}","containers":[{"name":"main","image":"busybox","command":["sleep","3600"]}]}}""";
        using var created = await client.PostAsync("api/v1/namespaces/default/pods", EdgeCloudProcess.Json(pod), cancellationToken);
        await EdgeCloudProcess.EnsureAsync(created, HttpStatusCode.Created, cancellationToken);
        await watch.WaitAsync(static w => w.RunningAt(Pod) is not null, TimeSpan.FromSeconds(60), $"pod {Pod} Running", cancellationToken);
    }

    /// <summary>Runs <paramref name="transfer"/> (moving the configured bytes) on every path, the paths taking turns run by run.</summary>
    private static async Task<(double[] MiBps, double[] CpuMsPerMiB, double[] KubectlCpuMsPerMiB)> ThroughputAsync(List<ForwardPath> paths, Func<ForwardPath, Task> transfer, string what, PortForwardBenchArguments arguments, EdgeCloudProcess server, BenchAgent agent)
    {
        var rates = paths.Select(_ => new List<double>()).ToArray();
        var cpu = paths.Select(_ => new List<double>()).ToArray();
        var kubectlCpu = paths.Select(_ => new List<double>()).ToArray();
        var split = paths.Select(_ => new List<(double Server, double Agent)>()).ToArray();
        var mib = arguments.TransferBytes / (double)(1 << 20);
        for (var run = 0; run < arguments.Repeats; run++)
        {
            for (var i = 0; i < paths.Count; i++)
            {
                var path = paths[i];
                var serverBefore = server.CpuTime;
                var agentBefore = agent.CpuTime;
                var kubectlBefore = KubectlCpu(path);
                var clock = Stopwatch.StartNew();
                await transfer(path);
                rates[i].Add(mib / clock.Elapsed.TotalSeconds);
                var serverMs = (server.CpuTime - serverBefore).TotalMilliseconds / mib;
                var agentMs = (agent.CpuTime - agentBefore).TotalMilliseconds / mib;
                cpu[i].Add(serverMs + agentMs);
                split[i].Add((serverMs, agentMs));
                kubectlCpu[i].Add((KubectlCpu(path) - kubectlBefore).TotalMilliseconds / mib);
            }
        }

        for (var i = 0; i < paths.Count; i++)
        {
            Console.WriteLine($"[{paths[i].Name}] {what}: MiB/s per run {string.Join(" ", rates[i].Select(F))}; CPU ms/MiB edgecloud {F(LatencySummary.Median([.. split[i].Select(static s => s.Server)]))}, edge-agent {F(LatencySummary.Median([.. split[i].Select(static s => s.Agent)]))}");
        }

        return ([.. rates.Select(LatencySummary.Median)], [.. cpu.Select(LatencySummary.Median)], [.. kubectlCpu.Select(LatencySummary.Median)]);
    }

    private static TimeSpan KubectlCpu(ForwardPath path)
    {
        if (path.Kubectl is not { } kubectl)
        {
            return TimeSpan.Zero;
        }

        kubectl.Refresh();
        return kubectl.TotalProcessorTime;
    }

    /// <summary>Asks the source for <paramref name="bytes"/> and reads them to the end.</summary>
    private static async Task DownloadAsync(int port, long bytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[LoopbackTargets.BlockSize];
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        var stream = client.GetStream();
        BinaryPrimitives.WriteInt64LittleEndian(buffer, bytes);
        await stream.WriteAsync(buffer.AsMemory(0, 8), cancellationToken);
        long received = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            received += n;
        }

        if (received != bytes)
        {
            throw new InvalidOperationException($"received {received} bytes from the pod's source, {bytes} were asked for");
        }
    }

    /// <summary>Sends <paramref name="bytes"/>, half-closes, and checks the sink's count.</summary>
    private static async Task UploadAsync(int port, long bytes, CancellationToken cancellationToken)
    {
        var block = new byte[LoopbackTargets.BlockSize];
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        var stream = client.GetStream();
        for (var left = bytes; left > 0; left -= block.Length)
        {
            await stream.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, left)), cancellationToken);
        }

        client.Client.Shutdown(SocketShutdown.Send);
        var answer = new byte[8];
        await stream.ReadExactlyAsync(answer, cancellationToken);
        if (BinaryPrimitives.ReadInt64LittleEndian(answer) != bytes)
        {
            throw new InvalidOperationException($"the pod's sink counted {BinaryPrimitives.ReadInt64LittleEndian(answer)} bytes, {bytes} were sent");
        }
    }

    /// <summary>From connect to the first byte the pod's server writes, one connection at a time.</summary>
    private static async Task<LatencySummary> OpenLatencyAsync(int port, int opens, CancellationToken cancellationToken)
    {
        var ticks = new List<long>(opens);
        var one = new byte[1];
        for (var i = 0; i < opens; i++)
        {
            var clock = Stopwatch.GetTimestamp();
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            await client.GetStream().ReadExactlyAsync(one, cancellationToken);
            ticks.Add(Stopwatch.GetTimestamp() - clock);
        }

        return LatencySummary.FromTicks(ticks)!;
    }

    private static string F(double value) => value.ToString(value >= 100 ? "N0" : "0.00", CultureInfo.InvariantCulture);

    /// <summary>One way to the pod's port: the local port that reaches a remote one, and the kubectl behind it (none for direct).</summary>
    private sealed record ForwardPath(string Name, Func<int, int> LocalPort, Process? Kubectl);
}
