using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using EdgeCloud.LoadTests.Api;

namespace EdgeCloud.LoadTests.Scheduling;

/// <summary>
/// The scheduling benchmark (issue 4): the real edgecloud with its controllers, a simulated fleet of Ready nodes
/// renewing their Leases, and pending pods created by 16 clients while one watch records when each is bound.
/// Reports bindings/s and create-to-bound latency beside the raw create rate of the same pods measured in the same
/// run with a scheduler nobody serves. Targets on a 2-core machine: at least 500 bindings/s, p99 create-to-bound
/// under 1 s.
/// </summary>
internal static class ScheduleBenchmark
{
    private const double BindingsPerSecondTarget = 500;
    private const double CreateToBoundP99TargetMs = 1_000;
    private const int WarmupPods = 1_000;

    // Creators use clients 0..15; the fleet and the watch have their own connections.
    private const int FleetClient = ScheduleBenchArguments.Clients;
    private const int WatchClient = ScheduleBenchArguments.Clients + 1;

    public static async Task<int> RunAsync(ScheduleBenchArguments arguments, CancellationToken cancellationToken)
    {
        var loadAtStart = MachineInfo.LoadAverage();
        var started = DateTimeOffset.UtcNow;
        Console.WriteLine($"EdgeCloud scheduling benchmark ({(arguments.Quick ? "quick" : "full")}), {started:yyyy-MM-dd HH:mm:ss} UTC, {Environment.ProcessorCount} CPUs, load average {loadAtStart ?? "?"}: {arguments.Nodes:N0} nodes, {arguments.Pods:N0} pods, {ScheduleBenchArguments.Clients} clients");
        ScheduleBenchResult result;
        await using (var server = await EdgeCloudProcess.StartAsync("schedbench", ScheduleBenchArguments.Clients + 2, cancellationToken))
        {
            result = await MeasureAsync(server, arguments, cancellationToken);
        }

        var lines = Summarize(result).ToList();
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        var loadAtEnd = MachineInfo.LoadAverage();
        Directory.CreateDirectory(arguments.OutputDirectory);
        var json = Path.Combine(arguments.OutputDirectory, "schedule-bench.json");
        var markdown = Path.Combine(arguments.OutputDirectory, "schedule-bench.md");
        await File.WriteAllTextAsync(json, Report(arguments, result, started, loadAtStart, loadAtEnd).ToJsonString(new() { WriteIndented = true }), cancellationToken);
        await File.WriteAllTextAsync(markdown,
            $"# EdgeCloud scheduling benchmark ({(arguments.Quick ? "quick" : "full")})\n\nRun {started:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} CPUs; load average {loadAtStart ?? "?"} at start, {loadAtEnd ?? "?"} at end.\n\n```\n" + string.Join('\n', lines) + "\n```\n",
            cancellationToken);
        Console.WriteLine($"wrote {json} and {markdown}");
        return result.Bound == result.Pods ? 0 : 1;
    }

    private static async Task<ScheduleBenchResult> MeasureAsync(EdgeCloudProcess server, ScheduleBenchArguments arguments, CancellationToken cancellationToken)
    {
        var clients = ScheduleBenchArguments.Clients;
        foreach (var ns in new[] { ScheduleObjects.WarmupNamespace, ScheduleObjects.BaselineNamespace, ScheduleObjects.MeasuredNamespace })
        {
            using var response = await server.Client(0).PostAsync("api/v1/namespaces", EdgeCloudProcess.Json($$$"""{"metadata":{"name":"{{{ns}}}"}}"""), cancellationToken);
            await EdgeCloudProcess.EnsureAsync(response, HttpStatusCode.Created, cancellationToken);
        }

        // Room for twice the average share of pods per node, at least kubelet's default of 110.
        var podsPerNodeRoom = Math.Max(110, (int)Math.Ceiling(2.0 * arguments.Pods / arguments.Nodes));
        Console.WriteLine($"registering {arguments.Nodes:N0} nodes and their Leases...");
        await using var fleet = await SimulatedFleet.StartAsync(server, arguments.Nodes, podsPerNodeRoom, clients, FleetClient, TimeProvider.System, cancellationToken);
        Console.WriteLine($"  {Describe(fleet.Registration)}; renewing each Lease every {SimulatedFleet.RenewInterval.TotalSeconds:0} s");

        // Warm-up: the scheduler has seen the nodes and every path of create, bind and watch has been called often
        // enough for the runtime to recompile it optimized; then wait for that recompilation to finish.
        var warmup = WarmupPods;
        await using (var watch = await BindingWatch.StartAsync(server.Client(WatchClient), ScheduleObjects.WarmupNamespace, warmup, cancellationToken))
        {
            await ConcurrentRunner.RunAsync("warm-up", clients, warmup, (client, index, ct) => CreatePodAsync(server, client, ScheduleObjects.WarmupNamespace, index, null, ct), cancellationToken);
            await watch.AllBound.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            Console.WriteLine($"warm-up: {warmup} pods bound");
        }

        var settledAfterWarmup = await SettleAsync(server, "warm-up", cancellationToken);

        var cpuBeforeBaseline = CpuSample.Take(server);
        var baseline = await ConcurrentRunner.RunAsync("baseline create", clients, arguments.Pods,
            (client, index, ct) => CreatePodAsync(server, client, ScheduleObjects.BaselineNamespace, index, ScheduleObjects.UnservedScheduler, ct), cancellationToken);
        var baselineCpu = CpuSample.Take(server) - cpuBeforeBaseline;
        Console.WriteLine($"baseline (schedulerName {ScheduleObjects.UnservedScheduler}, nothing binds): {Describe(baseline)}");

        var settledAfterBaseline = await SettleAsync(server, "baseline", cancellationToken);
        var starts = new long[arguments.Pods];
        var ends = new long[arguments.Pods];
        await using var bindings = await BindingWatch.StartAsync(server.Client(WatchClient), ScheduleObjects.MeasuredNamespace, arguments.Pods, cancellationToken);
        var cpuBeforeMeasure = CpuSample.Take(server);
        var create = await ConcurrentRunner.RunAsync("create", clients, arguments.Pods, async (client, index, ct) =>
        {
            starts[index] = Stopwatch.GetTimestamp();
            await CreatePodAsync(server, client, ScheduleObjects.MeasuredNamespace, index, null, ct);
            ends[index] = Stopwatch.GetTimestamp();
        }, cancellationToken);
        Console.WriteLine($"measured (default scheduler): {Describe(create)}; {bindings.Bound:N0} bound by the last create");
        var deadline = TimeSpan.FromSeconds(60 + (arguments.Pods / 100.0));
        try
        {
            await bindings.AllBound.WaitAsync(deadline, cancellationToken);
        }
        catch (TimeoutException)
        {
            Console.WriteLine($"only {bindings.Bound:N0} of {arguments.Pods:N0} pods bound {deadline.TotalSeconds:0} s after the last create");
        }

        var measuredCpu = CpuSample.Take(server) - cpuBeforeMeasure;
        var (ready, _) = await fleet.CountReadyAsync(cancellationToken);
        return Measured(arguments, server, fleet, baseline, create, bindings, starts, ends, ready) with
        {
            BaselineCpu = baselineCpu,
            MeasuredCpu = measuredCpu,
            SettleAfterWarmupSeconds = settledAfterWarmup.TotalSeconds,
            SettleAfterBaselineSeconds = settledAfterBaseline.TotalSeconds,
        };
    }

    private static ScheduleBenchResult Measured(ScheduleBenchArguments arguments, EdgeCloudProcess server, SimulatedFleet fleet, OperationResult baseline, OperationResult create,
        BindingWatch bindings, long[] starts, long[] ends, int ready)
    {
        var latencies = new List<long>(arguments.Pods);
        var perNode = new Dictionary<string, int>(StringComparer.Ordinal);
        var lastBound = 0L;
        for (var i = 0; i < arguments.Pods; i++)
        {
            if (bindings.BoundAt[i] is not 0 and var at)
            {
                latencies.Add(at - starts[i]);
                lastBound = Math.Max(lastBound, at);
                perNode[bindings.NodeOf[i]!] = perNode.GetValueOrDefault(bindings.NodeOf[i]!) + 1;
            }
        }

        var firstStart = starts.Min();
        var lastEnd = ends.Max();
        var nodeCounts = Enumerable.Range(0, arguments.Nodes).Select(n => perNode.GetValueOrDefault(ScheduleObjects.NodeName(n))).ToArray();
        var zones = ScheduleObjects.Zones.Take(Math.Min(arguments.Nodes, ScheduleObjects.Zones.Count))
            .Select(zone => new KeyValuePair<string, int>(zone, Enumerable.Range(0, arguments.Nodes).Where(n => ScheduleObjects.ZoneOf(n) == zone).Sum(n => nodeCounts[n])))
            .ToList();
        return new ScheduleBenchResult
        {
            Nodes = arguments.Nodes,
            Pods = arguments.Pods,
            StartupMs = server.Startup.TotalMilliseconds,
            Registration = fleet.Registration,
            Baseline = baseline,
            Create = create,
            Bound = latencies.Count,
            BindSeconds = lastBound == 0 ? 0 : Stopwatch.GetElapsedTime(firstStart, lastBound).TotalSeconds,
            TailAfterLastCreateMs = lastBound == 0 ? 0 : (lastBound - lastEnd) * 1000.0 / Stopwatch.Frequency,
            CreateToBound = LatencySummary.FromTicks(latencies),
            MinPodsPerNode = nodeCounts.Min(),
            MaxPodsPerNode = nodeCounts.Max(),
            PodsPerZone = zones,
            ReadyNodesAtEnd = ready,
            LeaseRenewals = fleet.Renewals,
            LeaseRenewalFailures = fleet.Failures,
            MaxLeaseRenewalGapMs = fleet.MaxRenewalGap.TotalMilliseconds,
            WatchEvents = bindings.Events,
        };
    }

    private static async Task<TimeSpan> SettleAsync(EdgeCloudProcess server, string after, CancellationToken cancellationToken)
    {
        var (waited, cores) = await ServerSettling.WaitUntilQuietAsync(server, TimeProvider.System, cancellationToken);
        Console.WriteLine($"  server quiet {F(waited.TotalSeconds)} s after the {after} ({F(cores)} cores in the last {ServerSettling.Window.TotalMilliseconds:0} ms{(waited >= ServerSettling.Limit ? ", gave up waiting" : "")})");
        return waited;
    }

    private static async Task CreatePodAsync(EdgeCloudProcess server, int client, string ns, int index, string? schedulerName, CancellationToken cancellationToken)
    {
        using var response = await server.Client(client).PostAsync($"api/v1/namespaces/{ns}/pods", EdgeCloudProcess.Json(ScheduleObjects.PodJson(index, schedulerName)), cancellationToken);
        await EdgeCloudProcess.EnsureAsync(response, HttpStatusCode.Created, cancellationToken);
    }

    private static IEnumerable<string> Summarize(ScheduleBenchResult r)
    {
        var latency = r.CreateToBound;
        yield return "";
        yield return $"== Scheduling {r.Pods:N0} pending pods over {r.Nodes:N0} simulated nodes, {ScheduleBenchArguments.Clients} clients (same run, same machine) ==";
        yield return $"baseline create  {F(r.Baseline.PerSecond),9}/s  p50 {F(r.Baseline.Latency.P50Ms)} ms  p99 {F(r.Baseline.Latency.P99Ms)} ms  (schedulerName nobody serves: creation alone)";
        yield return $"measured create  {F(r.Create.PerSecond),9}/s  p50 {F(r.Create.Latency.P50Ms)} ms  p99 {F(r.Create.Latency.P99Ms)} ms  (while the scheduler binds)";
        yield return $"bindings         {F(r.BindingsPerSecond),9}/s  {r.Bound:N0}/{r.Pods:N0} bound in {F(r.BindSeconds)} s (first create start to last bound); {F(r.BindingsPerSecond / r.Baseline.PerSecond)}x the baseline create rate";
        yield return latency is null
            ? "create-to-bound  n/a (nothing bound)"
            : $"create-to-bound  p50 {F(latency.P50Ms)} ms  p90 {F(latency.P90Ms)} ms  p99 {F(latency.P99Ms)} ms  max {F(latency.MaxMs)} ms  (client create start to the watch seeing spec.nodeName)";
        yield return $"tail             last pod bound {F(r.TailAfterLastCreateMs)} ms after the last create returned; {r.WatchEvents:N0} watch events";
        yield return $"spread           pods per node min {r.MinPodsPerNode} max {r.MaxPodsPerNode} (mean {F((double)r.Bound / r.Nodes)}); per zone {string.Join(", ", r.PodsPerZone.Select(static z => $"{z.Key} {z.Value:N0}"))}";
        yield return $"fleet            {r.ReadyNodesAtEnd:N0}/{r.Nodes:N0} nodes Ready at the end; {r.LeaseRenewals:N0} Lease renewals, {r.LeaseRenewalFailures} failed, longest gap {F(r.MaxLeaseRenewalGapMs / 1000)} s; registration {F(r.Registration.PerSecond)} nodes/s";
        yield return $"cpu per pod      server {F(r.BaselineCpu.ServerMsPer(r.Pods))} ms baseline, {F(r.MeasuredCpu.ServerMsPer(r.Pods))} ms measured (create + bind + event); load generator {F(r.BaselineCpu.ClientMsPer(r.Pods))} ms, {F(r.MeasuredCpu.ClientMsPer(r.Pods))} ms";
        yield return $"settling         server quiet {F(r.SettleAfterWarmupSeconds)} s after the warm-up of {WarmupPods:N0} pods, {F(r.SettleAfterBaselineSeconds)} s after the baseline (background recompilation of hot code, not measured)";
        yield return $"startup          edgecloud ready after {F(r.StartupMs)} ms";
        yield return "";
        yield return "== Targets ==";
        yield return Verdict("all pods bound", r.Bound == r.Pods, $"{r.Bound:N0}/{r.Pods:N0}", $"= {r.Pods:N0}");
        yield return Verdict("bindings per second", r.BindingsPerSecond >= BindingsPerSecondTarget, $"{F(r.BindingsPerSecond)}/s", $">= {F(BindingsPerSecondTarget)}/s");
        yield return Verdict("create-to-bound p99", latency is not null && latency.P99Ms < CreateToBoundP99TargetMs && r.Bound == r.Pods, latency is null ? "n/a" : $"{F(latency.P99Ms)} ms", $"< {F(CreateToBoundP99TargetMs)} ms");
    }

    private static string Verdict(string name, bool passed, string value, string goal) => $"{(passed ? "PASS" : "FAIL")}  {name,-28} {value,14}  (goal {goal})";

    private static string Describe(OperationResult r) =>
        $"{r.Count:N0} in {F(r.Seconds)} s = {F(r.PerSecond)}/s, p50 {F(r.Latency.P50Ms)} ms, p99 {F(r.Latency.P99Ms)} ms";

    private static string F(double value) => value.ToString(value >= 100 ? "N0" : "0.00", CultureInfo.InvariantCulture);

    private static JsonObject Report(ScheduleBenchArguments arguments, ScheduleBenchResult r, DateTimeOffset started, string? loadAtStart, string? loadAtEnd) => new()
    {
        ["machine"] = new JsonObject { ["cpus"] = Environment.ProcessorCount, ["os"] = Environment.OSVersion.ToString(), ["loadAverageAtStart"] = loadAtStart, ["loadAverageAtEnd"] = loadAtEnd },
        ["startedAt"] = started.ToString("O", CultureInfo.InvariantCulture),
        ["settings"] = new JsonObject { ["mode"] = arguments.Quick ? "quick" : "full", ["nodes"] = r.Nodes, ["pods"] = r.Pods, ["clients"] = ScheduleBenchArguments.Clients, ["leaseRenewSeconds"] = SimulatedFleet.RenewInterval.TotalSeconds },
        ["startupMs"] = r.StartupMs,
        ["registration"] = r.Registration.ToJson(),
        ["baselineCreate"] = r.Baseline.ToJson(),
        ["measuredCreate"] = r.Create.ToJson(),
        ["bound"] = r.Bound,
        ["bindSeconds"] = r.BindSeconds,
        ["bindingsPerSecond"] = r.BindingsPerSecond,
        ["bindingsToBaselineCreateRatio"] = r.Baseline.PerSecond > 0 ? r.BindingsPerSecond / r.Baseline.PerSecond : null,
        ["createToBound"] = r.CreateToBound?.ToJson(),
        ["tailAfterLastCreateMs"] = r.TailAfterLastCreateMs,
        ["spread"] = new JsonObject
        {
            ["minPodsPerNode"] = r.MinPodsPerNode,
            ["maxPodsPerNode"] = r.MaxPodsPerNode,
            ["podsPerZone"] = new JsonObject(r.PodsPerZone.Select(static z => new KeyValuePair<string, JsonNode?>(z.Key, z.Value))),
        },
        ["fleet"] = new JsonObject { ["readyNodesAtEnd"] = r.ReadyNodesAtEnd, ["leaseRenewals"] = r.LeaseRenewals, ["leaseRenewalFailures"] = r.LeaseRenewalFailures, ["maxLeaseRenewalGapMs"] = r.MaxLeaseRenewalGapMs },
        ["watchEvents"] = r.WatchEvents,
        ["warmupPods"] = WarmupPods,
        ["settleAfterWarmupSeconds"] = r.SettleAfterWarmupSeconds,
        ["settleAfterBaselineSeconds"] = r.SettleAfterBaselineSeconds,
        ["cpuMsPerPod"] = new JsonObject
        {
            ["serverBaseline"] = r.BaselineCpu.ServerMsPer(r.Pods),
            ["serverMeasured"] = r.MeasuredCpu.ServerMsPer(r.Pods),
            ["loadGeneratorBaseline"] = r.BaselineCpu.ClientMsPer(r.Pods),
            ["loadGeneratorMeasured"] = r.MeasuredCpu.ClientMsPer(r.Pods),
        },
        ["targets"] = new JsonArray(
            Target("bindingsPerSecond", r.BindingsPerSecond, ">=", BindingsPerSecondTarget, r.BindingsPerSecond >= BindingsPerSecondTarget),
            Target("createToBoundP99Ms", r.CreateToBound?.P99Ms, "<", CreateToBoundP99TargetMs, r.CreateToBound is { } c && c.P99Ms < CreateToBoundP99TargetMs && r.Bound == r.Pods)),
    };

    private static JsonObject Target(string name, double? value, string comparison, double goal, bool passed) =>
        new() { ["name"] = name, ["value"] = value, ["goal"] = $"{comparison} {goal.ToString(CultureInfo.InvariantCulture)}", ["verdict"] = passed ? "PASS" : "FAIL" };
}
