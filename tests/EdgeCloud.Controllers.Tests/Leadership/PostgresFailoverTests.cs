using EdgeCloud.Controllers.Leadership;
using EdgeCloud.Controllers.Nodes;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Store;
using Npgsql;

namespace EdgeCloud.Controllers.Tests.Leadership;

/// <summary>
/// Two replicas as two processes would be: each with its own store over one PostgreSQL database (own connections,
/// changes reaching the other through LISTEN/NOTIFY). The leader stops without resigning, as a crashed process:
/// once its liveness record expires, the other replica takes its clusters over. Needs the PostgreSQL that
/// scripts/test.sh starts (EDGECLOUD_TEST_POSTGRES); skipped without it, failed under CI=true.
/// </summary>
public sealed class PostgresFailoverTests : IAsyncLifetime
{
    private const string Variable = "EDGECLOUD_TEST_POSTGRES";
    private string _admin = "";
    private string _database = "";
    private string _connectionString = "";

    public async ValueTask InitializeAsync()
    {
        _admin = Environment.GetEnvironmentVariable(Variable) ?? "";
        if (_admin.Length == 0)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{Variable} is not set under CI=true: run the tests through scripts/test.sh, which starts PostgreSQL");
            }

            return;
        }

        _database = "ec_ctl_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {_database}", connection);
        await command.ExecuteNonQueryAsync();
        _connectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = _database }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_database.Length == 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_crashed_leaders_clusters_are_taken_over_once_its_record_expires()
    {
        Assert.SkipWhen(_database.Length == 0, $"PostgreSQL is not available: set {Variable} or run scripts/test.sh");
        // Short liveness so the test takes seconds: renew every 300 ms, expire after 1.5 s; the sweeper looks every 200 ms.
        var options = new ControllerOptions { ReplicaRenewInterval = TimeSpan.FromMilliseconds(300), ReplicaLeaseDuration = TimeSpan.FromMilliseconds(1500) };
        var storeOptions = new RevisionedStoreOptions { ExpirySweepMaxInterval = TimeSpan.FromMilliseconds(200) };
        var storeA = await RevisionedStore.OpenPostgresAsync(_connectionString, storeOptions);
        await using var storeB = await RevisionedStore.OpenPostgresAsync(_connectionString, new RevisionedStoreOptions { ExpirySweepMaxInterval = TimeSpan.FromMilliseconds(200) });
        foreach (var cluster in new[] { "c1", "c2" })
        {
            await storeA.CreateClusterAsync(cluster);
        }

        var objectsA = new ResourceStore(storeA, TimeProvider.System);
        var objectsB = new ResourceStore(storeB, TimeProvider.System);
        var a = await StartAsync(objectsA, "replica-a", options);
        await using var b = await StartAsync(objectsB, "replica-b", options);
        Assert.Equal(["c1", "c2"], a.LedClusters.Order(StringComparer.Ordinal));
        Assert.Empty(b.LedClusters);

        // Replica A's process dies: its store goes away mid-flight and nothing resigns for it.
        await storeA.DisposeAsync();
        foreach (var cluster in new[] { "c1", "c2" })
        {
            await WaitForHolderAsync(storeB, objectsB, cluster, "replica-b");
        }

        var lease = await objectsB.TryGetAsync("c1", LeaseKind.Definition, "kube-system", ClusterLeadership.LeaseName, CancellationToken.None);
        Assert.Equal(1, lease!["spec"]!["leaseTransitions"]!.GetValue<int>());
        try
        {
            await a.DisposeAsync();
        }
        catch (ObjectDisposedException)
        {
            // Its store is gone; that is the point.
        }
    }

    private static async Task<ControllerManager> StartAsync(ResourceStore objects, string identity, ControllerOptions options)
    {
        var manager = new ControllerManager(objects, TimeProvider.System, options, new RecordingLoggers(), static () => [new NodeLifecycleController()], identity, "edgecloud-system");
        await manager.StartAsync(CancellationToken.None);
        foreach (var cluster in new[] { "c1", "c2" })
        {
            await manager.AddClusterAsync(cluster, CancellationToken.None);
        }

        return manager;
    }

    private static async Task WaitForHolderAsync(RevisionedStore store, ResourceStore objects, string cluster, string holder)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var key = ObjectKeys.Key(LeaseKind.Definition, "kube-system", ClusterLeadership.LeaseName);
        await using var watch = await store.WatchAsync(cluster, key, await store.GetRevisionAsync(cluster), timeout.Token);
        while ((await objects.TryGetAsync(cluster, LeaseKind.Definition, "kube-system", ClusterLeadership.LeaseName, CancellationToken.None))?["spec"]?["holderIdentity"]?.GetValue<string>() != holder)
        {
            await watch.Events.ReadAsync(timeout.Token);
        }
    }
}
