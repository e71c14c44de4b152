using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace EdgeCloud.LoadTests.Api;

/// <summary>
/// The API benchmark: create, get, list and watch through HTTPS with 16 concurrent clients, beside the same
/// operations on the raw store measured in the same run (the ratio is the API's overhead), plus the server's
/// time to ready. Targets (SQLite): p99 under 20 ms for get and create at 16 clients; a 1,000-object list
/// under 50 ms (median).
/// </summary>
internal static class ApiBenchmark
{
    private const double CreateGetP99TargetMs = 20;
    private const double ListTargetMs = 50;

    public static async Task<int> RunAsync(ApiBenchArguments arguments, CancellationToken cancellationToken)
    {
        var quick = arguments.Quick;
        var outputDirectory = arguments.OutputDirectory;
        var settings = ApiBenchSettings.For(quick) with { Clients = arguments.Clients };
        Console.WriteLine($"EdgeCloud API benchmark ({(quick ? "quick" : "full")}), {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, {Environment.ProcessorCount} CPUs, SQLite");
        ApiBenchSide store;
        await using (var target = await StoreTarget.OpenAsync(cancellationToken))
        {
            store = await MeasureAsync(target, settings, cancellationToken);
        }

        ApiBenchSide api;
        TimeSpan startup;
        await using (var target = await HttpsTarget.StartAsync(settings.Clients, cancellationToken))
        {
            startup = target.Startup;
            api = await MeasureAsync(target, settings, cancellationToken);
        }

        var lines = Summarize(store, api, startup).ToList();
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        Directory.CreateDirectory(outputDirectory);
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, "api-bench.json"), Report(settings, store, api, startup).ToJsonString(new() { WriteIndented = true }), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, "api-bench.md"), "# EdgeCloud API benchmark\n\n```\n" + string.Join('\n', lines) + "\n```\n", cancellationToken);
        Console.WriteLine($"wrote {Path.Combine(outputDirectory, "api-bench.json")}");
        return 0;
    }

    private static async Task<ApiBenchSide> MeasureAsync(IApiBenchTarget target, ApiBenchSettings settings, CancellationToken cancellationToken)
    {
        foreach (var ns in new[] { "warmup", "bench", "list", "watch" })
        {
            await target.PrepareNamespaceAsync(ns, cancellationToken);
        }

        Console.WriteLine($"[{target.Name}] creating {settings.ListObjects:N0} objects to list, and warming up with {settings.WarmUpOperations:N0} creates and gets...");
        await ConcurrentRunner.RunAsync("seed", settings.Clients, settings.ListObjects, (client, index, ct) => target.CreateAsync(client, "list", index, ct), cancellationToken);
        await ConcurrentRunner.RunAsync("warm-up create", settings.Clients, settings.WarmUpOperations, (client, index, ct) => target.CreateAsync(client, "warmup", index, ct), cancellationToken);
        await ConcurrentRunner.RunAsync("warm-up get", settings.Clients, settings.WarmUpOperations, (client, index, ct) => target.GetAsync(client, "warmup", index, ct), cancellationToken);
        await ConcurrentRunner.RunAsync("warm-up list", 1, 3, async (_, _, ct) => await target.ListAsync("list", ct), cancellationToken);
        var settled = await target.SettleAsync(cancellationToken);
        Console.WriteLine($"[{target.Name}] settled {settled.TotalSeconds:F1} s after the warm-up (background recompilation of hot code, not measured)");
        var create = await ConcurrentRunner.RunAsync("create", settings.Clients, settings.Operations, (client, index, ct) => target.CreateAsync(client, "bench", index, ct), cancellationToken);
        Console.WriteLine($"[{target.Name}] {Describe(create)}");
        var get = await ConcurrentRunner.RunAsync("get", settings.Clients, settings.Operations, (client, index, ct) => target.GetAsync(client, "bench", (int)((index * 7919L) % settings.Operations), ct), cancellationToken);
        Console.WriteLine($"[{target.Name}] {Describe(get)}");
        var list = await ConcurrentRunner.RunAsync("list", 1, settings.Lists, async (_, _, ct) =>
        {
            var count = await target.ListAsync("list", ct);
            if (count != settings.ListObjects)
            {
                throw new InvalidOperationException($"listed {count} objects, expected {settings.ListObjects}");
            }
        }, cancellationToken);
        Console.WriteLine($"[{target.Name}] {Describe(list)}");
        var watch = await MeasureWatchAsync(target, settings, cancellationToken);
        Console.WriteLine($"[{target.Name}] watch: create start to event p50 {F(watch.P50Ms)} ms, p99 {F(watch.P99Ms)} ms ({watch.Count} events)");
        return new ApiBenchSide { Target = target.Name, Create = create, Get = get, List = list, Watch = watch };
    }

    /// <summary>One writer creates objects one by one; each one's latency is from the start of its create to its event on the watch.</summary>
    private static async Task<LatencySummary> MeasureWatchAsync(IApiBenchTarget target, ApiBenchSettings settings, CancellationToken cancellationToken)
    {
        var arrived = new ConcurrentDictionary<string, long>();
        var signals = new ConcurrentDictionary<string, TaskCompletionSource>();
        await using (await target.WatchAsync("watch", name =>
        {
            arrived.TryAdd(name, Stopwatch.GetTimestamp());
            signals.GetOrAdd(name, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }, cancellationToken))
        {
            var latencies = new List<long>();
            for (var i = 0; i < settings.WatchedCreates; i++)
            {
                var name = ApiObjects.Name(i);
                var signal = signals.GetOrAdd(name, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                var started = Stopwatch.GetTimestamp();
                await target.CreateAsync(0, "watch", i, cancellationToken);
                await signal.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                latencies.Add(arrived[name] - started);
            }

            return LatencySummary.FromTicks(latencies)!;
        }
    }

    private static IEnumerable<string> Summarize(ApiBenchSide store, ApiBenchSide api, TimeSpan startup)
    {
        yield return "";
        yield return "== API over HTTPS vs the raw store (same run, same machine) ==";
        foreach (var (name, s, a) in new[] { ("create", store.Create, api.Create), ("get", store.Get, api.Get), ("list 1,000", store.List, api.List) })
        {
            yield return $"{name,-11} store {F(s.PerSecond),9}/s p50 {F(s.Latency.P50Ms),6} ms p99 {F(s.Latency.P99Ms),6} ms | api {F(a.PerSecond),9}/s p50 {F(a.Latency.P50Ms),6} ms p99 {F(a.Latency.P99Ms),6} ms | api/store throughput {F(a.PerSecond / s.PerSecond)}x";
        }

        yield return $"{"watch",-11} store p50 {F(store.Watch.P50Ms)} ms p99 {F(store.Watch.P99Ms)} ms | api p50 {F(api.Watch.P50Ms)} ms p99 {F(api.Watch.P99Ms)} ms";
        yield return $"{"startup",-11} edgecloud server ready for kubectl after {F(startup.TotalMilliseconds)} ms (goal < 2000 ms)";
        yield return "";
        yield return "== Targets ==";
        yield return Verdict($"api create p99 at {api.Create.Clients} clients", api.Create.Latency.P99Ms, CreateGetP99TargetMs);
        yield return Verdict($"api get p99 at {api.Get.Clients} clients", api.Get.Latency.P99Ms, CreateGetP99TargetMs);
        yield return Verdict("api list of 1,000 objects (median)", api.List.Latency.P50Ms, ListTargetMs);
        yield return Verdict("server ready for kubectl", startup.TotalMilliseconds, 2000);
    }

    private static string Verdict(string name, double valueMs, double goalMs) =>
        $"{(valueMs < goalMs ? "PASS" : "MISS")}  {name,-40} {F(valueMs),8} ms  (goal < {F(goalMs)} ms)";

    private static string Describe(OperationResult r) =>
        $"{r.Operation}: {r.Count:N0} in {F(r.Seconds)} s with {r.Clients} clients = {F(r.PerSecond)}/s, p50 {F(r.Latency.P50Ms)} ms, p99 {F(r.Latency.P99Ms)} ms, max {F(r.Latency.MaxMs)} ms";

    private static string F(double value) => value.ToString(value >= 100 ? "N0" : "0.00", CultureInfo.InvariantCulture);

    private static JsonObject Report(ApiBenchSettings settings, ApiBenchSide store, ApiBenchSide api, TimeSpan startup) => new()
    {
        ["machine"] = new JsonObject { ["cpus"] = Environment.ProcessorCount, ["os"] = Environment.OSVersion.ToString() },
        ["settings"] = new JsonObject { ["clients"] = settings.Clients, ["operations"] = settings.Operations, ["listObjects"] = settings.ListObjects, ["lists"] = settings.Lists, ["watchedCreates"] = settings.WatchedCreates },
        ["startupMs"] = startup.TotalMilliseconds,
        ["store"] = Side(store),
        ["api"] = Side(api),
    };

    private static JsonObject Side(ApiBenchSide side) => new()
    {
        ["create"] = side.Create.ToJson(),
        ["get"] = side.Get.ToJson(),
        ["list"] = side.List.ToJson(),
        ["watch"] = side.Watch.ToJson(),
    };
}
