using System.Diagnostics;
using System.Net;
using System.Text.Json;
using EdgeCloud.LoadTests.Api;

namespace EdgeCloud.LoadTests.Scheduling;

/// <summary>
/// Simulated nodes, as a fleet of agents would drive the API: each registers a Ready Node and its kube-node-lease
/// Lease, then renews the Lease every <see cref="RenewInterval"/>, the renewals spread evenly over the interval,
/// so that the node lifecycle controller (40 s grace) never marks a node Unknown during the run.
/// </summary>
internal sealed class SimulatedFleet : IAsyncDisposable
{
    /// <summary>How often each node renews its Lease (kubelet's default: 10 s).</summary>
    public static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(10);

    // The interval is cut into this many slots; each tick renews the nodes of one slot.
    private const int Slots = 40;

    private readonly EdgeCloudProcess _server;
    private readonly int _client;
    private readonly int _nodes;
    private readonly TimeProvider _time;
    private readonly long[] _lastRenewed;
    private readonly CancellationTokenSource _stop = new();
    private Task _renewing = Task.CompletedTask;
    private long _maxGapTicks;
    private int _renewals;
    private int _failures;
    private string? _firstFailure;

    private SimulatedFleet(EdgeCloudProcess server, int client, int nodes, TimeProvider time, OperationResult registration)
    {
        _server = server;
        _client = client;
        _nodes = nodes;
        _time = time;
        Registration = registration;
        _lastRenewed = new long[nodes];
        Array.Fill(_lastRenewed, Stopwatch.GetTimestamp());
    }

    /// <summary>Registering the nodes: each operation is one Node and its Lease.</summary>
    public OperationResult Registration { get; }

    /// <summary>Lease renewals that succeeded so far.</summary>
    public int Renewals => Volatile.Read(ref _renewals);

    /// <summary>Lease renewals that failed so far.</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>The first failure's message, if any.</summary>
    public string? FirstFailure => Volatile.Read(ref _firstFailure);

    /// <summary>The longest time any node went between successful renewals (or since registration), so far.</summary>
    public TimeSpan MaxRenewalGap => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _maxGapTicks));

    /// <summary>
    /// Registers <paramref name="nodes"/> nodes with <paramref name="clients"/> concurrent clients of
    /// <paramref name="server"/> (indexes 0..clients-1), then starts renewing their Leases on client
    /// <paramref name="renewClient"/>.
    /// </summary>
    public static async Task<SimulatedFleet> StartAsync(EdgeCloudProcess server, int nodes, int podsPerNodeRoom, int clients, int renewClient, TimeProvider time, CancellationToken cancellationToken)
    {
        var registration = await ConcurrentRunner.RunAsync("register node", clients, nodes, async (client, index, ct) =>
        {
            var http = server.Client(client);
            using (var node = await http.PostAsync("api/v1/nodes", EdgeCloudProcess.Json(ScheduleObjects.NodeJson(index, podsPerNodeRoom, time.GetUtcNow())), ct))
            {
                await EdgeCloudProcess.EnsureAsync(node, HttpStatusCode.Created, ct);
            }

            using var lease = await http.PostAsync("apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", EdgeCloudProcess.Json(ScheduleObjects.LeaseJson(index, time.GetUtcNow())), ct);
            await EdgeCloudProcess.EnsureAsync(lease, HttpStatusCode.Created, ct);
        }, cancellationToken);
        var fleet = new SimulatedFleet(server, renewClient, nodes, time, registration);
        fleet._renewing = Task.Run(() => fleet.RenewLoopAsync(fleet._stop.Token), CancellationToken.None);
        return fleet;
    }

    /// <summary>How many nodes the server reports Ready=True, and how many nodes it has.</summary>
    public async Task<(int Ready, int Total)> CountReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await _server.Client(_client).GetAsync("api/v1/nodes", cancellationToken);
        await EdgeCloudProcess.EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
        using var list = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var ready = 0;
        var total = 0;
        foreach (var node in list.RootElement.GetProperty("items").EnumerateArray())
        {
            total++;
            if (node.TryGetProperty("status", out var status) && status.TryGetProperty("conditions", out var conditions)
                && conditions.EnumerateArray().Any(static c => c.GetProperty("type").ValueEquals("Ready") && c.GetProperty("status").ValueEquals("True")))
            {
                ready++;
            }
        }

        return (ready, total);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
        _stop.Dispose();
    }

    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RenewInterval / Slots, _time);
        var slot = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                // One slot per tick, in order: when the server is slow the rounds stretch, but no node is skipped.
                var batch = new List<Task>();
                for (var node = slot; node < _nodes; node += Slots)
                {
                    batch.Add(RenewAsync(node, cancellationToken));
                }

                await Task.WhenAll(batch);
                slot = (slot + 1) % Slots;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RenewAsync(int node, CancellationToken cancellationToken)
    {
        try
        {
            var path = $"apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{ScheduleObjects.NodeName(node)}";
            using var request = new HttpRequestMessage(HttpMethod.Patch, path)
            {
                Content = EdgeCloudProcess.Json(ScheduleObjects.LeaseRenewalJson(_time.GetUtcNow()), "application/merge-patch+json"),
            };
            using var response = await _server.Client(_client).SendAsync(request, cancellationToken);
            await EdgeCloudProcess.EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
            var now = Stopwatch.GetTimestamp();
            var gap = now - Interlocked.Exchange(ref _lastRenewed[node], now);
            long seen;
            while (gap > (seen = Interlocked.Read(ref _maxGapTicks)) && Interlocked.CompareExchange(ref _maxGapTicks, gap, seen) != seen)
            {
            }

            Interlocked.Increment(ref _renewals);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception error) when (error is InvalidOperationException or HttpRequestException)
        {
            Interlocked.Increment(ref _failures);
            Interlocked.CompareExchange(ref _firstFailure, error.Message, null);
        }
    }
}
