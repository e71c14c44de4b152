using Npgsql;

namespace EdgeCloud.Store.Tests;

/// <summary>
/// Several server processes share one PostgreSQL: each store instance here has its own connection pool and
/// its own change listener, as a separate process would.
/// </summary>
public sealed class PostgresSharedDatabaseTests : IAsyncLifetime
{
    private const string Cluster = "shared";

    private TestStoreHost _host = null!;
    private RevisionedStore _writer = null!;
    private RevisionedStore _watcher = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await TestStoreHost.CreateAsync(StoreBackendKind.Postgres);
        _writer = await _host.OpenAsync();
        _watcher = await _host.OpenAsync();
        await _writer.CreateClusterAsync(Cluster);
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_write_committed_by_one_instance_reaches_watchers_of_another()
    {
        await using var watch = await _watcher.WatchAsync(Cluster, "/registry/", 0);
        for (var i = 0; i < 20; i++)
        {
            await _writer.CreateAsync(Cluster, $"/registry/pods/p{i}", $"{i}".Bytes());
        }

        var events = await watch.TakeAsync(20);

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), events.Select(e => e.Revision));
        Assert.Equal("19", events[^1].Value.Text());
    }

    [Fact]
    public async Task Both_instances_write_and_both_watchers_see_one_sequence()
    {
        await using var watchA = await _writer.WatchAsync(Cluster, "/", 0);
        await using var watchB = await _watcher.WatchAsync(Cluster, "/", 0);
        await Task.WhenAll(
            Task.Run(async () =>
            {
                for (var i = 0; i < 50; i++)
                {
                    await _writer.CreateAsync(Cluster, $"/a/{i}", "a".Bytes());
                }
            }),
            Task.Run(async () =>
            {
                for (var i = 0; i < 50; i++)
                {
                    await _watcher.CreateAsync(Cluster, $"/b/{i}", "b".Bytes());
                }
            }));

        var seenA = await watchA.TakeAsync(100);
        var seenB = await watchB.TakeAsync(100);

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), seenA.Select(e => e.Revision));
        Assert.Equal(seenA.Select(e => e.Key), seenB.Select(e => e.Key));
    }

    [Fact]
    public async Task Writes_made_while_the_listener_connection_is_down_are_still_delivered()
    {
        await using var watch = await _watcher.WatchAsync(Cluster, "/", 0);
        await _writer.CreateAsync(Cluster, "/before", "x".Bytes());
        Assert.Equal("/before", (await watch.TakeAsync(1))[0].Key);

        // Cut every LISTEN connection: their notices for the next writes are lost.
        await using (var admin = new NpgsqlConnection(_host.PostgresConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'", admin);
            Assert.True((long)(await kill.ExecuteScalarAsync())! >= 2);
        }

        for (var i = 0; i < 5; i++)
        {
            await _writer.CreateAsync(Cluster, $"/during/{i}", "x".Bytes());
        }

        // The watcher's listener reconnects and its feed re-reads history by revision: nothing is lost.
        var events = await watch.TakeAsync(5, TimeSpan.FromSeconds(30));
        Assert.Equal([2L, 3L, 4L, 5L, 6L], events.Select(e => e.Revision));
    }
}
