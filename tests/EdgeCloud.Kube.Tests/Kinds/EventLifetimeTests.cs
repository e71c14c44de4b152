using System.Text.Json.Nodes;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Store;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Kube.Tests.Kinds;

/// <summary>Events live an hour after their last write, however they were written (kube-apiserver's --event-ttl).</summary>
public sealed class EventLifetimeTests : IAsyncLifetime
{
    private const string Cluster = "c1";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edgecloud-evttl-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private RevisionedStore _store = null!;
    private ResourceStore _objects = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = await RevisionedStore.OpenSqliteAsync(Path.Combine(_directory, "state.db"), SqliteSynchronous.Normal, new RevisionedStoreOptions
        {
            TimeProvider = _time,
            // The test moves the clock two hours on; history kept by age (1 h by default) would then be compacted
            // under the watch that reads the expiries, before it has delivered them.
            HistoryAge = TimeSpan.FromDays(30),
        });
        await _store.CreateClusterAsync(Cluster);
        _objects = new ResourceStore(_store, _time);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task An_event_expires_an_hour_after_its_last_write_and_a_count_update_starts_that_hour_again()
    {
        var events = EventKind.Definition;
        await using var watch = await _store.WatchAsync(Cluster, "/", await _store.GetRevisionAsync(Cluster), TestContext.Current.CancellationToken);
        await _objects.CreateAsync(Cluster, events, "default", Event("once"), dryRun: false, TestContext.Current.CancellationToken);
        await _objects.CreateAsync(Cluster, events, "default", Event("again"), dryRun: false, TestContext.Current.CancellationToken);

        _time.Advance(TimeSpan.FromMinutes(50));
        await _objects.UpdateAsync(Cluster, events, "default", "again", static e =>
        {
            e["count"] = 2;
            return e;
        }, dryRun: false, TestContext.Current.CancellationToken);

        // An hour after the creates: only the event that was not written since goes.
        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.EndsWith("/once", await NextDeletedKeyAsync(watch), StringComparison.Ordinal);
        Assert.NotNull(await _objects.TryGetAsync(Cluster, events, "default", "again", TestContext.Current.CancellationToken));

        // An hour after its update, the other.
        _time.Advance(TimeSpan.FromMinutes(50));
        Assert.EndsWith("/again", await NextDeletedKeyAsync(watch), StringComparison.Ordinal);
    }

    [Fact]
    public void Kinds_other_than_events_do_not_expire()
    {
        Assert.Equal(TimeSpan.FromHours(1), EventKind.Definition.TimeToLive);
        Assert.All(BuiltInKinds.All.Where(static k => k != EventKind.Definition), static k => Assert.Null(k.TimeToLive));
    }

    private static async Task<string> NextDeletedKeyAsync(StoreWatch watch)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await foreach (var change in watch.Events.ReadAllAsync(timeout.Token))
        {
            if (change.Type == WatchEventType.Deleted)
            {
                return change.Key;
            }
        }

        throw new InvalidOperationException("the watch ended");
    }

    private static JsonObject Event(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["involvedObject"] = new JsonObject { ["kind"] = "Pod", ["name"] = "p", ["namespace"] = "default" },
        ["reason"] = "Started",
        ["message"] = "Started container c",
        ["type"] = "Normal",
        ["count"] = 1,
    };
}
