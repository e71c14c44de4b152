using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EdgeCloud.Controllers;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Server.Hosting;
using EdgeCloud.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.LoadTests.Controllers;

/// <summary>
/// What idle clusters cost the process that runs their controllers: N clusters (the system namespaces, a Deployment whose
/// two pods stay pending: no node) all led by one <see cref="ControllerManager"/> with every loop the server runs;
/// then CPU time over an idle window and memory per cluster, beside the same process idle with the store open and
/// no cluster led (the baseline, same run). Claim checked: an idle cluster costs no CPU (no per-cluster timers).
/// </summary>
internal static class IdleClustersBenchmark
{
    public static async Task<int> RunAsync(IdleClustersArguments arguments, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "edgecloud-idle-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        Console.WriteLine($"EdgeCloud idle-clusters benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, {Environment.ProcessorCount} CPUs, {arguments.Clusters:N0} clusters, SQLite");
        try
        {
            await using var store = await RevisionedStore.OpenSqliteAsync(Path.Combine(directory, "state.db"), SqliteSynchronous.Normal, cancellationToken: cancellationToken);
            var objects = new ResourceStore(store, TimeProvider.System);
            var clusters = Enumerable.Range(0, arguments.Clusters).Select(static i => $"tenant-{i:D5}").ToList();
            var seeding = Stopwatch.StartNew();
            foreach (var cluster in clusters)
            {
                await SeedAsync(objects, cluster, cancellationToken);
            }

            Console.WriteLine($"seeded {clusters.Count:N0} clusters in {seeding.Elapsed.TotalSeconds:F1} s");

            var baseline = await MeasureIdleAsync(arguments.Window, cancellationToken);
            Console.WriteLine($"[baseline] no cluster led: {baseline.CpuMsPerSecond:F2} ms CPU/s, managed {baseline.ManagedBytes / 1048576.0:F1} MiB, working set {baseline.WorkingSetBytes / 1048576.0:F1} MiB");

            await using var manager = new ControllerManager(objects, TimeProvider.System, new ControllerOptions(), NullLoggerFactory.Instance, ClusterControllers.ForOneCluster, "bench-replica", "edgecloud-system");
            await manager.StartAsync(cancellationToken);
            var leading = Stopwatch.StartNew();
            foreach (var cluster in clusters)
            {
                await manager.AddClusterAsync(cluster, cancellationToken);
            }

            var startPerCluster = leading.Elapsed.TotalMilliseconds / clusters.Count;
            Console.WriteLine($"controllers of {manager.LedClusters.Count:N0} clusters started in {leading.Elapsed.TotalSeconds:F1} s ({startPerCluster:F2} ms per cluster)");

            // Let the first passes (status writes, lease creation) finish before the idle window.
            await SettleAsync(store, clusters, cancellationToken);
            var idle = await MeasureIdleAsync(arguments.Window, cancellationToken);
            var perCluster = (idle.WorkingSetBytes - baseline.WorkingSetBytes) / (double)clusters.Count;
            var managedPerCluster = (idle.ManagedBytes - baseline.ManagedBytes) / (double)clusters.Count;
            var extraCpu = idle.CpuMsPerSecond - baseline.CpuMsPerSecond;
            Console.WriteLine($"[idle] {clusters.Count:N0} clusters led: {idle.CpuMsPerSecond:F2} ms CPU/s, managed {idle.ManagedBytes / 1048576.0:F1} MiB, working set {idle.WorkingSetBytes / 1048576.0:F1} MiB");

            var report = new StringBuilder();
            report.AppendLine("# Idle clusters: controller cost").AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"{clusters.Count:N0} clusters (each: 4 namespaces, a Deployment with 2 replicas whose pods stay pending, no node), every loop the server runs, SQLite; idle window {arguments.Window.TotalSeconds:F0} s; {Environment.ProcessorCount} CPUs.").AppendLine();
            report.AppendLine("| | baseline (store open, no cluster led) | clusters led | difference |");
            report.AppendLine("| --- | --- | --- | --- |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| CPU, ms per second | {baseline.CpuMsPerSecond:F2} | {idle.CpuMsPerSecond:F2} | {extraCpu:F2} ({extraCpu / 10:F3}% of a core) |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| managed heap | {baseline.ManagedBytes / 1048576.0:F1} MiB | {idle.ManagedBytes / 1048576.0:F1} MiB | {managedPerCluster / 1024:F1} KiB per cluster |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| working set | {baseline.WorkingSetBytes / 1048576.0:F1} MiB | {idle.WorkingSetBytes / 1048576.0:F1} MiB | {perCluster / 1024:F1} KiB per cluster |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| controller start | | {startPerCluster:F2} ms per cluster | |");
            var cpuPass = extraCpu < 10;
            report.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Target: idle clusters add under 1% of a core in total: {(cpuPass ? "PASS" : "MISS")} ({extraCpu / 10:F3}%).");
            Directory.CreateDirectory(arguments.OutputDirectory);
            var markdown = Path.Combine(arguments.OutputDirectory, "idle-clusters-bench.md");
            await File.WriteAllTextAsync(markdown, report.ToString(), cancellationToken);
            var json = new JsonObject
            {
                ["clusters"] = clusters.Count,
                ["windowSeconds"] = arguments.Window.TotalSeconds,
                ["baseline"] = baseline.ToJson(),
                ["idle"] = idle.ToJson(),
                ["extraCpuMsPerSecond"] = extraCpu,
                ["managedBytesPerCluster"] = managedPerCluster,
                ["workingSetBytesPerCluster"] = perCluster,
                ["controllerStartMsPerCluster"] = startPerCluster,
                ["cpuTargetPassed"] = cpuPass,
            };
            await File.WriteAllTextAsync(Path.Combine(arguments.OutputDirectory, "idle-clusters-bench.json"), json.ToJsonString(), cancellationToken);
            Console.WriteLine(report.ToString());
            Console.WriteLine($"wrote {markdown}");
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task SeedAsync(ResourceStore objects, string cluster, CancellationToken cancellationToken)
    {
        await objects.Store.CreateClusterAsync(cluster, cancellationToken);
        foreach (var ns in ServerBootstrap.SystemNamespaces)
        {
            await objects.CreateAsync(cluster, NamespaceKind.Definition, null, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = ns },
                ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
                ["status"] = new JsonObject { ["phase"] = "Active" },
            }, dryRun: false, cancellationToken);
        }

        await objects.CreateAsync(cluster, DeploymentKind.Definition, "default", JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}
            """)!.AsObject(), dryRun: false, cancellationToken);
    }

    /// <summary>Waits until a full second passes with no write in any cluster (the loops' first passes are done).</summary>
    private static async Task SettleAsync(RevisionedStore store, List<string> clusters, CancellationToken cancellationToken)
    {
        var last = await TotalRevisionAsync(store, clusters, cancellationToken);
        while (true)
        {
            // Settling is a measurement of quiet, not synchronization: one second without writes.
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var now = await TotalRevisionAsync(store, clusters, cancellationToken);
            if (now == last)
            {
                return;
            }

            last = now;
        }
    }

    private static async Task<long> TotalRevisionAsync(RevisionedStore store, List<string> clusters, CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (var cluster in clusters)
        {
            total += await store.GetRevisionAsync(cluster, cancellationToken);
        }

        return total;
    }

    /// <summary>
    /// CPU and memory over an idle window, after a first window of the same length that is thrown away: right after
    /// a burst of work the runtime still recompiles hot methods in the background (tiered JIT), which is not what
    /// an idle process costs.
    /// </summary>
    private static async Task<IdleSample> MeasureIdleAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        await MeasureWindowAsync(window, cancellationToken);
        return await MeasureWindowAsync(window, cancellationToken);
    }

    private static async Task<IdleSample> MeasureWindowAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.Delay(window, cancellationToken);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        process.Refresh();
        return new IdleSample(cpu.TotalMilliseconds / clock.Elapsed.TotalSeconds, GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64);
    }

    private sealed record IdleSample(double CpuMsPerSecond, long ManagedBytes, long WorkingSetBytes)
    {
        public JsonObject ToJson() => new()
        {
            ["cpuMsPerSecond"] = CpuMsPerSecond,
            ["managedBytes"] = ManagedBytes,
            ["workingSetBytes"] = WorkingSetBytes,
        };
    }
}
