using EdgeCloud.Controllers.Leadership;
using EdgeCloud.Controllers.Nodes;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Store;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Controllers.Tests.Leadership;

/// <summary>Two replicas over one store: each cluster's loops run in exactly one, and the other takes over when it goes.</summary>
public sealed class ClusterLeadershipTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edgecloud-lead-" + Guid.NewGuid().ToString("N")[..12]);
    private RevisionedStore _store = null!;
    private ResourceStore _objects = null!;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = await RevisionedStore.OpenSqliteAsync(Path.Combine(_directory, "state.db"), SqliteSynchronous.Normal);
        _objects = new ResourceStore(_store, _time);
        foreach (var cluster in new[] { "c1", "c2", "c3" })
        {
            await _store.CreateClusterAsync(cluster);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Each_cluster_is_led_by_exactly_one_replica_and_taken_over_when_it_leaves()
    {
        var first = await StartReplicaAsync("replica-a");
        var second = await StartReplicaAsync("replica-b");
        try
        {
            Assert.Equal(["c1", "c2", "c3"], first.LedClusters.Order(StringComparer.Ordinal));
            Assert.Empty(second.LedClusters);
            var lease = await _objects.TryGetAsync("c1", LeaseKind.Definition, "kube-system", ClusterLeadership.LeaseName, CancellationToken.None);
            Assert.Equal("replica-a", lease!["spec"]!["holderIdentity"]!.GetValue<string>());

            // The leader shuts down: it resigns, and the other replica takes every cluster over.
            await first.DisposeAsync();
            first = null;
            foreach (var cluster in new[] { "c1", "c2", "c3" })
            {
                await WaitForHolderAsync(cluster, "replica-b");
            }

            var moved = await _objects.TryGetAsync("c2", LeaseKind.Definition, "kube-system", ClusterLeadership.LeaseName, CancellationToken.None);
            Assert.Equal(1, moved!["spec"]!["leaseTransitions"]!.GetValue<int>());
            await WaitUntilAsync(() => second.LedClusters.Count == 3, "replica-b runs all three clusters");
        }
        finally
        {
            if (first is not null)
            {
                await first.DisposeAsync();
            }

            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_replica_whose_holder_is_alive_does_not_take_over()
    {
        await using var first = await StartReplicaAsync("replica-a");
        var leadership = new ClusterLeadership(_objects, _time, "replica-b", "edgecloud-system");
        Assert.False(await leadership.TryAcquireAsync("c1", CancellationToken.None));
        Assert.True(await new ClusterLeadership(_objects, _time, "replica-a", "edgecloud-system").TryAcquireAsync("c1", CancellationToken.None));
    }

    private async Task<ControllerManager> StartReplicaAsync(string identity)
    {
        var manager = new ControllerManager(_objects, _time, new ControllerOptions(), new RecordingLoggers(), static () => [new NodeLifecycleController()], identity, "edgecloud-system");
        await manager.StartAsync(CancellationToken.None);
        foreach (var cluster in new[] { "c1", "c2", "c3" })
        {
            await manager.AddClusterAsync(cluster, CancellationToken.None);
        }

        return manager;
    }

    private async Task WaitForHolderAsync(string cluster, string holder)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var key = ObjectKeys.Key(LeaseKind.Definition, "kube-system", ClusterLeadership.LeaseName);
        await using var watch = await _store.WatchAsync(cluster, key, await _store.GetRevisionAsync(cluster), timeout.Token);
        while ((await _objects.TryGetAsync(cluster, LeaseKind.Definition, "kube-system", ClusterLeadership.LeaseName, CancellationToken.None))?["spec"]?["holderIdentity"]?.GetValue<string>() != holder)
        {
            await watch.Events.ReadAsync(timeout.Token);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            // The manager starts a cluster's loops right after it wins the Lease; there is no event for that from here.
            await Task.Delay(10, timeout.Token).ConfigureAwait(false);
        }

        Assert.True(condition(), what);
    }
}
