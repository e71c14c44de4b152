using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using EdgeCloud.LoadTests.Agents;
using EdgeCloud.Server.Security;

namespace EdgeCloud.LoadTests.Tenancy;

/// <summary>
/// Tenant density (issue 7): N clusters on one real edgecloud (SQLite), spread over T signed-up tenants, each cluster
/// created through the portal API and given a namespace, a Deployment (one replica) and a simulated Ready node
/// with its Lease, then left idle. Prints the server's RSS per idle cluster (between a first tenth of the
/// clusters and all of them, both read after the server settled), cluster creation latency, and API p99 (GET of a
/// random cluster's Deployment) at a tenth and at all of the clusters. Targets: under 100 KB RSS per idle cluster,
/// creation p50 under 50 ms, API p99 at N clusters within 1.5x of its value at N/10.
/// </summary>
internal static class TenantDensityBenchmark
{
    private const int Workers = 8;
    private const int ApiSamples = 2_000;
    private const int SequentialCreations = 50;
    private const double RssGoalBytes = 100 * 1024;
    private const double CreationGoalMs = 50;
    private const double ApiP99RatioGoal = 1.5;

    public static async Task<int> RunAsync(TenantDensityArguments arguments, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        Console.WriteLine($"EdgeCloud tenant density benchmark: {arguments.Clusters:N0} clusters over {arguments.Tenants} tenants, {Environment.ProcessorCount} CPUs, load {MachineInfo.LoadAverage()}");
        var plans = Path.Combine(Path.GetTempPath(), $"edgecloud-bench-plans-{Guid.NewGuid():N}.json");
        var perTenant = (arguments.Clusters + arguments.Tenants - 1) / arguments.Tenants;
        await File.WriteAllTextAsync(plans, $$"""
            [{ "name": "bench", "maxClusters": {{perTenant + SequentialCreations}}, "maxNodesPerCluster": 10, "maxObjectsPerCluster": 1000, "requestsPerSecond": 1000, "requestBurst": 2000, "maxWatchesPerCluster": 100 }]
            """, cancellationToken);
        try
        {
            // Simulated nodes never renew their Lease: a long grace period keeps them Ready, so idle means idle.
            await using var server = await EdgeCloudProcess.StartAsync("tenants", 1, cancellationToken, "--plans", plans, "--default-plan", "bench", "--node-monitor-grace-period", "86400");
            var kubeconfig = await KubeconfigReader.ReadAsync(Path.Combine(server.DataDirectory, "kubeconfig.yaml"), cancellationToken);
            var ca = X509Certificate2.CreateFromPem(kubeconfig.CertificateAuthorityPem);
            var baseAddress = new Uri(server.Address.GetLeftPart(UriPartial.Authority) + "/");

            var sessions = new List<PortalSession>();
            var clock = Stopwatch.StartNew();
            for (var t = 0; t < arguments.Tenants; t++)
            {
                sessions.Add(await PortalSession.SignUpAsync(baseAddress, ca, $"tenant-{t}@bench.example", cancellationToken));
            }

            Console.WriteLine($"[tenants] {arguments.Tenants} signups in {clock.Elapsed.TotalSeconds:0.0} s (PBKDF2 600,000 iterations each)");
            var clients = Enumerable.Range(0, Workers).Select(_ => ApiClient(baseAddress, ca)).ToArray();
            var clusters = new (string Id, string Token)[arguments.Clusters];
            var creation = new List<long>();
            var tenth = Math.Max(Workers, arguments.Clusters / 10);

            clock.Restart();
            await CreateAsync(sessions, clients, clusters, 0, tenth, creation, cancellationToken);
            Console.WriteLine($"[create] {tenth:N0} clusters in {clock.Elapsed.TotalSeconds:0.0} s");
            var atTenth = await SettleAndMeasureAsync(server, clients, clusters, tenth, arguments.Settle, cancellationToken);

            clock.Restart();
            await CreateAsync(sessions, clients, clusters, tenth, arguments.Clusters, creation, cancellationToken);
            var createSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"[create] {arguments.Clusters - tenth:N0} more clusters in {createSeconds:0.0} s");
            var atAll = await SettleAndMeasureAsync(server, clients, clusters, arguments.Clusters, arguments.Settle, cancellationToken);

            if (Environment.GetEnvironmentVariable("EDGECLOUD_BENCH_GCDUMP") is { Length: > 0 } dump)
            {
                // What the idle clusters' memory is made of: dotnet-gcdump of the server (a .NET global tool).
                await CollectGcDumpAsync(server.ProcessId, dump, cancellationToken);
            }

            // What one user sees on an idle server: creations one at a time (these clusters stay empty).
            var sequential = new List<long>();
            for (var i = 0; i < SequentialCreations; i++)
            {
                var began = Stopwatch.GetTimestamp();
                await sessions[i % sessions.Count].CreateClusterAsync($"alone-{i}", cancellationToken);
                sequential.Add(Stopwatch.GetTimestamp() - began);
            }

            var alone = LatencySummary.FromTicks(sequential)!;
            var perCluster = (double)(atAll.Memory.RssBytes - atTenth.Memory.RssBytes) / (arguments.Clusters - tenth);
            var anonPerCluster = (double)(atAll.Memory.RssAnonBytes - atTenth.Memory.RssAnonBytes) / (arguments.Clusters - tenth);
            var create = LatencySummary.FromTicks(creation)!;
            var ratio = atAll.Api.P99Ms / atTenth.Api.P99Ms;
            var lines = new List<string>
            {
                $"{arguments.Clusters:N0} clusters over {arguments.Tenants} tenants on one edgecloud (SQLite), each with a namespace, a Deployment (1 replica) and a simulated Ready node; {Environment.ProcessorCount} CPUs.",
                "",
                "| | at " + tenth.ToString("N0", CultureInfo.InvariantCulture) + " clusters | at " + arguments.Clusters.ToString("N0", CultureInfo.InvariantCulture) + " clusters |",
                "| --- | --- | --- |",
                $"| server RSS | {MiB(atTenth.Memory.RssBytes)} MiB | {MiB(atAll.Memory.RssBytes)} MiB |",
                $"| server RssAnon | {MiB(atTenth.Memory.RssAnonBytes)} MiB | {MiB(atAll.Memory.RssAnonBytes)} MiB |",
                $"| API GET p50 / p99 ({ApiSamples:N0} GETs of random clusters' Deployments, {Workers} clients) | {atTenth.Api.P50Ms:0.00} / {atTenth.Api.P99Ms:0.00} ms | {atAll.Api.P50Ms:0.00} / {atAll.Api.P99Ms:0.00} ms |",
                "",
                $"RSS per idle cluster: {perCluster / 1024:0.0} KiB (anonymous memory: {anonPerCluster / 1024:0.0} KiB), from the difference between the two settled readings.",
                $"Cluster creation (POST /api/v1/tenants/{{t}}/clusters) one at a time on the idle server ({SequentialCreations}): p50 {alone.P50Ms:0.0} ms, p99 {alone.P99Ms:0.0} ms; while {Workers} clients create and populate clusters: p50 {create.P50Ms:0.0} ms, p99 {create.P99Ms:0.0} ms.",
                $"API p99 at {arguments.Clusters:N0} / at {tenth:N0} clusters: {ratio:0.00}x.",
                "",
                "Targets:",
                $"- RSS per idle cluster < 100 KB: {(perCluster < RssGoalBytes ? "PASS" : "FAIL")} ({perCluster / 1024:0.0} KiB)",
                $"- cluster creation p50 < 50 ms (one at a time): {(alone.P50Ms < CreationGoalMs ? "PASS" : "FAIL")} ({alone.P50Ms:0.0} ms)",
                $"- API p99 unaffected by the number of clusters (≤ {ApiP99RatioGoal}x): {(ratio <= ApiP99RatioGoal ? "PASS" : "FAIL")} ({ratio:0.00}x)",
            };
            foreach (var line in lines)
            {
                Console.WriteLine(line);
            }

            Directory.CreateDirectory(arguments.OutputDirectory);
            var json = new JsonObject
            {
                ["benchmark"] = "tenants",
                ["startedAt"] = started,
                ["clusters"] = arguments.Clusters,
                ["tenants"] = arguments.Tenants,
                ["cpus"] = Environment.ProcessorCount,
                ["atTenth"] = new JsonObject { ["clusters"] = tenth, ["memory"] = atTenth.Memory.ToJson(), ["api"] = atTenth.Api.ToJson() },
                ["atAll"] = new JsonObject { ["clusters"] = arguments.Clusters, ["memory"] = atAll.Memory.ToJson(), ["api"] = atAll.Api.ToJson() },
                ["rssBytesPerIdleCluster"] = perCluster,
                ["rssAnonBytesPerIdleCluster"] = anonPerCluster,
                ["creationUnderLoad"] = create.ToJson(),
                ["creationAlone"] = alone.ToJson(),
                ["apiP99Ratio"] = ratio,
                ["targets"] = new JsonArray(
                    new JsonObject { ["name"] = "rss per idle cluster < 100 KB", ["value"] = perCluster, ["passed"] = perCluster < RssGoalBytes },
                    new JsonObject { ["name"] = "cluster creation p50 < 50 ms (one at a time)", ["value"] = alone.P50Ms, ["passed"] = alone.P50Ms < CreationGoalMs },
                    new JsonObject { ["name"] = "api p99 ratio <= 1.5", ["value"] = ratio, ["passed"] = ratio <= ApiP99RatioGoal }),
            };
            await File.WriteAllTextAsync(Path.Combine(arguments.OutputDirectory, "tenant-density-bench.json"), json.ToJsonString(new() { WriteIndented = true }), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(arguments.OutputDirectory, "tenant-density-bench.md"), "# Tenant density\n\n" + string.Join('\n', lines) + "\n", cancellationToken);
            Console.WriteLine($"wrote {Path.Combine(arguments.OutputDirectory, "tenant-density-bench.json")} and .md");
            foreach (var client in clients)
            {
                client.Dispose();
            }

            foreach (var session in sessions)
            {
                session.Dispose();
            }

            return 0;
        }
        finally
        {
            File.Delete(plans);
        }
    }

    /// <summary>Creates clusters [from, to) with <see cref="Workers"/> workers, each cluster with its objects.</summary>
    private static async Task CreateAsync(List<PortalSession> sessions, HttpClient[] clients, (string Id, string Token)[] clusters, int from, int to, List<long> creation, CancellationToken cancellationToken)
    {
        var next = from - 1;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var client = clients[worker];
            int i;
            while ((i = Interlocked.Increment(ref next)) < to)
            {
                var session = sessions[i % sessions.Count];
                var began = Stopwatch.GetTimestamp();
                var id = await session.CreateClusterAsync($"site-{i}", cancellationToken);
                var elapsed = Stopwatch.GetTimestamp() - began;
                lock (creation)
                {
                    creation.Add(elapsed);
                }

                var token = await session.AdminTokenAsync(id, cancellationToken);
                clusters[i] = (id, token);
                await PopulateAsync(client, id, token, cancellationToken);
            }
        }, cancellationToken)));
    }

    /// <summary>A namespace, a Deployment of one replica and a Ready node with its Lease, as a small edge site has.</summary>
    private static async Task PopulateAsync(HttpClient client, string cluster, string token, CancellationToken cancellationToken)
    {
        async Task SendAsync(HttpMethod method, string path, string body, HttpStatusCode expected, string mediaType = "application/json")
        {
            using var request = new HttpRequestMessage(method, $"clusters/{cluster}/{path}") { Content = EdgeCloudProcess.Json(body, mediaType) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request, cancellationToken);
            await EdgeCloudProcess.EnsureAsync(response, expected, cancellationToken);
        }

        await SendAsync(HttpMethod.Post, "api/v1/namespaces", """{"metadata":{"name":"app"}}""", HttpStatusCode.Created);
        await SendAsync(HttpMethod.Post, "apis/apps/v1/namespaces/app/deployments", """
            {"metadata":{"name":"web"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"busybox","command":["sleep","infinity"]}]}}}}
            """, HttpStatusCode.Created);
        await SendAsync(HttpMethod.Post, "api/v1/nodes", """{"metadata":{"name":"edge-1","labels":{"kubernetes.io/hostname":"edge-1"}}}""", HttpStatusCode.Created);
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["capacity"] = new JsonObject { ["cpu"] = "4", ["memory"] = "8Gi", ["pods"] = "110" },
                ["allocatable"] = new JsonObject { ["cpu"] = "4", ["memory"] = "8Gi", ["pods"] = "110" },
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady", ["lastHeartbeatTime"] = now, ["lastTransitionTime"] = now }),
            },
        };
        await SendAsync(HttpMethod.Patch, "api/v1/nodes/edge-1/status", status.ToJsonString(), HttpStatusCode.OK, "application/merge-patch+json");
        var lease = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "edge-1" },
            ["spec"] = new JsonObject { ["holderIdentity"] = "edge-1", ["leaseDurationSeconds"] = 40, ["renewTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture) },
        };
        await SendAsync(HttpMethod.Post, "apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", lease.ToJsonString(), HttpStatusCode.Created);
    }

    /// <summary>Leaves the server idle for <paramref name="settle"/>, reads its memory, then measures API latency over the first <paramref name="count"/> clusters.</summary>
    private static async Task<(ProcessMemory Memory, LatencySummary Api)> SettleAndMeasureAsync(EdgeCloudProcess server, HttpClient[] clients, (string Id, string Token)[] clusters, int count, TimeSpan settle, CancellationToken cancellationToken)
    {
        await Task.Delay(settle, cancellationToken);
        var memory = ProcessMemory.Read(server.ProcessId) ?? throw new InvalidOperationException("edgecloud exited");
        var samples = new List<long>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            while (Interlocked.Increment(ref next) < ApiSamples)
            {
                var (id, token) = clusters[random.Next(count)];
                using var request = new HttpRequestMessage(HttpMethod.Get, $"clusters/{id}/apis/apps/v1/namespaces/app/deployments/web");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var began = Stopwatch.GetTimestamp();
                using var response = await clients[worker].SendAsync(request, cancellationToken);
                var elapsed = Stopwatch.GetTimestamp() - began;
                await EdgeCloudProcess.EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
                lock (samples)
                {
                    samples.Add(elapsed);
                }
            }
        }, cancellationToken)));
        var api = LatencySummary.FromTicks(samples)!;
        Console.WriteLine($"[measure] {count:N0} clusters: {memory}; API GET p50 {api.P50Ms:0.00} ms, p99 {api.P99Ms:0.00} ms");
        return (memory, api);
    }

    private static async Task CollectGcDumpAsync(int pid, string path, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet-gcdump") { ArgumentList = { "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", path }, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet-gcdump did not start (dotnet tool install -g dotnet-gcdump)");
        await process.WaitForExitAsync(cancellationToken);
        Console.WriteLine($"[gcdump] {path} (exit {process.ExitCode}); read it with: dotnet-gcdump report {path}");
    }

    private static HttpClient ApiClient(Uri baseAddress, X509Certificate2 ca) => new(CaTrust.CreateHandler(ca))
    {
        BaseAddress = baseAddress,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
    };

    private static string MiB(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
}
