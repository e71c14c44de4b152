namespace EdgeCloud.Store.Tests;

public abstract partial class RevisionedStoreSpec
{
    [Fact]
    public async Task A_key_with_a_ttl_is_deleted_when_its_time_passes_and_watchers_see_the_delete()
    {
        await ReopenAsync(o => o.RunMaintenance = true);
        await using var watch = await Store.WatchAsync(Cluster, "/registry/events/", 0);
        var created = await Store.CreateAsync(Cluster, "/registry/events/default/e1", "event".Bytes(), ttl: TimeSpan.FromSeconds(10));
        await Store.CreateAsync(Cluster, "/registry/events/default/keep", "stays".Bytes());
        Assert.Equal(Host.Time.GetUtcNow().AddSeconds(10), created.Item!.ExpiresAt);
        Assert.Equal(2, (await watch.TakeAsync(2)).Count);

        Host.Time.Advance(TimeSpan.FromSeconds(11));
        var expired = await watch.TakeAsync(1);

        Assert.Equal(WatchEventType.Deleted, expired[0].Type);
        Assert.Equal("/registry/events/default/e1", expired[0].Key);
        Assert.Equal("event", expired[0].PrevValue.Text());
        Assert.Null((await Store.GetAsync(Cluster, "/registry/events/default/e1")).Item);
        Assert.NotNull((await Store.GetAsync(Cluster, "/registry/events/default/keep")).Item);
    }

    [Fact]
    public async Task A_key_does_not_expire_before_its_ttl()
    {
        await ReopenAsync(o => o.RunMaintenance = true);
        await using var watch = await Store.WatchAsync(Cluster, "/t/", 0);
        await Store.CreateAsync(Cluster, "/t/long", "v".Bytes(), ttl: TimeSpan.FromMinutes(10));
        await Store.CreateAsync(Cluster, "/t/short", "v".Bytes(), ttl: TimeSpan.FromSeconds(5));
        await watch.TakeAsync(2);

        Host.Time.Advance(TimeSpan.FromSeconds(6));
        var first = await watch.TakeAsync(1);

        // Only the short key went; the long one is still there.
        Assert.Equal("/t/short", first[0].Key);
        Assert.NotNull((await Store.GetAsync(Cluster, "/t/long")).Item);
    }

    [Fact]
    public async Task Updating_a_key_without_ttl_clears_its_expiry()
    {
        await Store.CreateAsync(Cluster, "/t/k", "v".Bytes(), ttl: TimeSpan.FromSeconds(5));
        var updated = await Store.UpdateAsync(Cluster, "/t/k", "v2".Bytes(), 1);
        Assert.Null(updated.Item!.ExpiresAt);
        Assert.Null((await Store.GetAsync(Cluster, "/t/k")).Item!.ExpiresAt);
    }

    [Fact]
    public async Task Compaction_bounds_history_by_revisions_and_watch_from_a_compacted_revision_fails_distinctly()
    {
        await ReopenAsync(o => o.HistoryRevisions = 10);
        await Store.CreateAsync(Cluster, "/c/k", "0".Bytes());
        for (var i = 1; i < 50; i++)
        {
            await Store.UpdateAsync(Cluster, "/c/k", $"{i}".Bytes(), 0);
        }

        var removed = await Store.CompactAsync();

        Assert.Equal(40, removed);
        var error = await Assert.ThrowsAsync<RevisionCompactedException>(() => Store.WatchAsync(Cluster, "/c/", 30));
        Assert.Equal(40, error.CompactRevision);
        await Assert.ThrowsAsync<RevisionCompactedException>(() => Store.ListAsync(Cluster, new ListRequest { Prefix = "/c/", Revision = 39 }));
        await using var watch = await Store.WatchAsync(Cluster, "/c/", 40);
        var events = await watch.TakeAsync(10);
        Assert.Equal(Enumerable.Range(41, 10).Select(i => (long)i), events.Select(e => e.Revision));
        Assert.Equal("49", (await Store.GetAsync(Cluster, "/c/k")).Item!.Value.Text());
        Assert.Equal("40", (await Store.ListAsync(Cluster, new ListRequest { Prefix = "/c/", Revision = 41 })).Items[0].Value.Text());
    }

    [Fact]
    public async Task Compaction_bounds_history_by_age()
    {
        await ReopenAsync(o => o.HistoryAge = TimeSpan.FromMinutes(5));
        for (var i = 0; i < 5; i++)
        {
            await Store.CreateAsync(Cluster, $"/old/{i}", "v".Bytes());
        }

        Host.Time.Advance(TimeSpan.FromMinutes(6));
        for (var i = 0; i < 3; i++)
        {
            await Store.CreateAsync(Cluster, $"/new/{i}", "v".Bytes());
        }

        Assert.Equal(5, await Store.CompactAsync());
        await Assert.ThrowsAsync<RevisionCompactedException>(() => Store.WatchAsync(Cluster, "/", 4));
        await using var watch = await Store.WatchAsync(Cluster, "/", 5);
        Assert.Equal([6L, 7L, 8L], (await watch.TakeAsync(3)).Select(e => e.Revision));
        Assert.Equal(8, (await Store.ListAllAsync(Cluster, "/")).Count);
        Assert.Equal(0, await Store.CompactAsync());
    }

    [Fact]
    public async Task Compaction_runs_on_its_own_schedule()
    {
        await ReopenAsync(o =>
        {
            o.RunMaintenance = true;
            o.HistoryRevisions = 5;
            o.CompactionInterval = TimeSpan.FromSeconds(30);
        });
        for (var i = 0; i < 20; i++)
        {
            await Store.CreateAsync(Cluster, $"/s/{i}", "v".Bytes());
        }

        Host.Time.Advance(TimeSpan.FromSeconds(31));

        // The pass runs on a timer thread; wait for its observable effect: the watch start is refused.
        using var cts = new CancellationTokenSource(StoreTestExtensions.EventTimeout);
        while (true)
        {
            try
            {
                await using var watch = await Store.WatchAsync(Cluster, "/s/", 1, cts.Token);
            }
            catch (RevisionCompactedException error)
            {
                Assert.Equal(15, error.CompactRevision);
                break;
            }

            await Task.Yield();
            cts.Token.ThrowIfCancellationRequested();
        }
    }
}
