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

        // Revisions 1..40 are compacted; row 40 stays as the previous version of 41.
        Assert.Equal(39, removed);
        var error = await Assert.ThrowsAsync<RevisionCompactedException>(() => Store.WatchAsync(Cluster, "/c/", 30));
        Assert.Equal(40, error.CompactRevision);
        await Assert.ThrowsAsync<RevisionCompactedException>(() => Store.ListAsync(Cluster, new ListRequest { Prefix = "/c/", Revision = 39 }));
        await using var watch = await Store.WatchAsync(Cluster, "/c/", 40);
        var events = await watch.TakeAsync(10);
        Assert.Equal(Enumerable.Range(41, 10).Select(i => (long)i), events.Select(e => e.Revision));
        Assert.Equal("39", events[0].PrevValue.Text());
        Assert.Equal("49", (await Store.GetAsync(Cluster, "/c/k")).Item!.Value.Text());
        Assert.Equal("40", (await Store.ListAsync(Cluster, new ListRequest { Prefix = "/c/", Revision = 41 })).Items[0].Value.Text());

        // The next pass removes the kept row with the rest: history stays bounded.
        for (var i = 50; i < 60; i++)
        {
            await Store.UpdateAsync(Cluster, "/c/k", $"{i}".Bytes(), 0);
        }

        Assert.Equal(10, await Store.CompactAsync());
    }

    [Fact]
    public async Task Watch_and_list_report_previous_versions_that_compaction_removed_from_history()
    {
        await ReopenAsync(o => o.HistoryRevisions = 5);
        await Store.CreateAsync(Cluster, "/p/a", "a0".Bytes());
        await Store.CreateAsync(Cluster, "/p/b", "b0".Bytes());
        await Store.CreateAsync(Cluster, "/p/c", "c0".Bytes());
        await Store.CreateAsync(Cluster, "/f", "f".Bytes());
        for (var i = 0; i < 20; i++)
        {
            await Store.UpdateAsync(Cluster, "/f", $"f{i}".Bytes(), 0);
        }

        // Revisions 1..19 compacted: the creates of a, b and c leave history; their values live on in the keys.
        var compactedTo = await Store.GetRevisionAsync(Cluster) - 5;
        Assert.True(await Store.CompactAsync() > 0);
        var updated = await Store.UpdateAsync(Cluster, "/p/a", "a1".Bytes(), 1);
        var deleted = await Store.DeleteAsync(Cluster, "/p/b", 2);
        await Store.UpdateAsync(Cluster, "/p/c", "c1".Bytes(), 3);
        await Store.UpdateAsync(Cluster, "/p/c", "c2".Bytes(), 0);
        Assert.Equal(WriteStatus.Applied, updated.Status);
        Assert.Equal(WriteStatus.Applied, deleted.Status);

        await using var watch = await Store.WatchAsync(Cluster, "/p/", compactedTo);
        var events = await watch.TakeAsync(4);
        Assert.Equal(["a0", "b0", "c0", "c1"], events.Select(e => e.PrevValue.Text()));
        Assert.Equal([1L, 2L, 3L, updated.Revision + 2], events.Select(e => e.PrevModRevision));
        Assert.Equal(WatchEventType.Deleted, events[1].Type);

        // A list at a revision before those changes rebuilds every key, whether or not its old row is still stored.
        var before = await Store.ListAsync(Cluster, new ListRequest { Prefix = "/p/", Revision = compactedTo });
        Assert.Equal(["a0", "b0", "c0"], before.Items.Select(i => i.Value.Text()));
        Assert.Equal([1L, 2L, 3L], before.Items.Select(i => i.ModRevision));
        var paged = await Store.ListAsync(Cluster, new ListRequest { Prefix = "/p/", Revision = updated.Revision + 2, Limit = 1 });
        var rest = await Store.ListAsync(Cluster, new ListRequest { Prefix = "/p/", Continue = paged.Continue });
        Assert.Equal(["a1", "c1"], paged.Items.Concat(rest.Items).Select(i => i.Value.Text()));

        // Compacting past all of it leaves the latest state intact.
        for (var i = 0; i < 10; i++)
        {
            await Store.UpdateAsync(Cluster, "/f", $"g{i}".Bytes(), 0);
        }

        await Store.CompactAsync();
        Assert.Equal(["a1", "c2"], (await Store.ListAllAsync(Cluster, "/p/")).Select(i => i.Value.Text()));
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
            o.HistoryRevisions = 16;
            o.CompactionInterval = TimeSpan.FromSeconds(30);
        });
        for (var i = 0; i < 20; i++)
        {
            await Store.CreateAsync(Cluster, $"/s/{i}", "v".Bytes());
        }

        // 20 revisions stay under the early-pass backlog (16 + 4): only the timer compacts.
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
                Assert.Equal(4, error.CompactRevision);
                break;
            }

            await Task.Yield();
            cts.Token.ThrowIfCancellationRequested();
        }
    }

    [Fact]
    public async Task Compaction_runs_early_when_history_outgrows_its_bound_between_timer_ticks()
    {
        await ReopenAsync(o =>
        {
            o.RunMaintenance = true;
            o.HistoryRevisions = 8;
            o.CompactionInterval = TimeSpan.FromHours(1);
        });
        for (var i = 0; i < 20; i++)
        {
            await Store.CreateAsync(Cluster, $"/e/{i}", "v".Bytes());
        }

        // The fake clock never reaches the hourly tick: only the backlog can have started the pass.
        using var cts = new CancellationTokenSource(StoreTestExtensions.EventTimeout);
        while (true)
        {
            try
            {
                await using var watch = await Store.WatchAsync(Cluster, "/e/", 1, cts.Token);
            }
            catch (RevisionCompactedException error)
            {
                Assert.InRange(error.CompactRevision, 3, 12);
                break;
            }

            await Task.Yield();
            cts.Token.ThrowIfCancellationRequested();
        }
    }
}
