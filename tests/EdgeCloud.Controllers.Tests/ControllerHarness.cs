using System.Text.Json.Nodes;
using EdgeCloud.Controllers;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Store;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Controllers.Tests;

/// <summary>
/// A real store (SQLite in a temporary directory) with one cluster and a <see cref="ControllerManager"/> running
/// the given controllers on a fake clock the test drives. Objects are written through the store as the API would.
/// </summary>
public sealed class ControllerHarness : IAsyncDisposable
{
    public const string Cluster = "c1";
    private readonly string _directory;

    private ControllerHarness(string directory, RevisionedStore store, FakeTimeProvider time, ControllerManager manager)
    {
        _directory = directory;
        Store = store;
        Time = time;
        Manager = manager;
        Objects = new ResourceStore(store, time);
    }

    public RevisionedStore Store { get; }

    /// <summary>Warnings and errors the controllers logged.</summary>
    public required RecordingLoggers Loggers { get; init; }

    public FakeTimeProvider Time { get; }

    public ControllerManager Manager { get; }

    public ResourceStore Objects { get; }

    public static async Task<ControllerHarness> StartAsync(Func<IReadOnlyList<IClusterController>> controllers, ControllerOptions? options = null, Func<ResourceStore, Task>? seed = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "edgecloud-ctl-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var store = await RevisionedStore.OpenSqliteAsync(Path.Combine(directory, "state.db"), SqliteSynchronous.Normal);
        await store.CreateClusterAsync(Cluster);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var objects = new ResourceStore(store, time);
        if (seed is not null)
        {
            await seed(objects);
        }

        var loggers = new RecordingLoggers();
        var manager = new ControllerManager(objects, time, options ?? new ControllerOptions(), loggers, controllers, "test-replica", "edgecloud-system");
        await manager.StartAsync(CancellationToken.None);
        await manager.AddClusterAsync(Cluster, CancellationToken.None);
        return new ControllerHarness(directory, store, time, manager) { Loggers = loggers };
    }

    public Task<JsonObject> CreateAsync(KindDefinition kind, JsonObject obj) =>
        Objects.CreateAsync(Cluster, kind, kind.Namespaced ? obj.Metadata().GetString("namespace") ?? "default" : null, obj, dryRun: false, CancellationToken.None);

    public Task<JsonObject?> GetAsync(KindDefinition kind, string? ns, string name) => Objects.TryGetAsync(Cluster, kind, ns, name, CancellationToken.None);

    public async Task<JsonObject> UpdateAsync(KindDefinition kind, string? ns, string name, Action<JsonObject> change) =>
        (await Objects.UpdateAsync(Cluster, kind, ns, name, current =>
        {
            change(current);
            return current;
        }, dryRun: false, CancellationToken.None)).Object;

    /// <summary>Waits until the controllers' cache has applied everything written so far (before the test moves the clock).</summary>
    public async Task SettleAsync()
    {
        var revision = await Store.GetRevisionAsync(Cluster);
        await Manager.CacheOf(Cluster)!.WaitForRevisionAsync(revision, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the stored objects of <paramref name="kind"/> in <paramref name="ns"/> (up to 10 s).</summary>
    public async Task<IReadOnlyList<JsonObject>> WaitForListAsync(KindDefinition kind, string? ns, Func<IReadOnlyList<JsonObject>, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var revision = await Store.GetRevisionAsync(Cluster);
        await using var watch = await Store.WatchAsync(Cluster, ObjectKeys.Prefix(kind, ns), revision, timeout.Token);
        var current = (await Objects.ListAsync(Cluster, kind, ns, 0, null, 0, static _ => true, CancellationToken.None)).Items;
        try
        {
            while (!condition(current))
            {
                if (!await watch.Events.WaitToReadAsync(timeout.Token))
                {
                    break;
                }

                while (watch.Events.TryRead(out _))
                {
                }

                current = (await Objects.ListAsync(Cluster, kind, ns, 0, null, 0, static _ => true, CancellationToken.None)).Items;
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"timed out waiting for {what}; {current.Count} objects; controllers logged: {string.Join(" | ", Loggers.Problems)}");
        }

        return current;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the stored object (checked on each change, up to 10 s).</summary>
    public async Task<JsonObject> WaitForAsync(KindDefinition kind, string? ns, string name, Func<JsonObject?, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var key = ObjectKeys.Key(kind, ns, name);
        var revision = await Store.GetRevisionAsync(Cluster);
        await using var watch = await Store.WatchAsync(Cluster, key, revision, timeout.Token);
        var current = await GetAsync(kind, ns, name);
        try
        {
            while (!condition(current))
            {
                if (!await watch.Events.WaitToReadAsync(timeout.Token))
                {
                    break;
                }

                while (watch.Events.TryRead(out _))
                {
                }

                current = await GetAsync(kind, ns, name);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"timed out waiting for {what}; last seen: {current?.ToJsonString()}; controllers logged: {string.Join(" | ", Loggers.Problems)}");
        }

        return current!;
    }

    public async ValueTask DisposeAsync()
    {
        await Manager.DisposeAsync();
        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
