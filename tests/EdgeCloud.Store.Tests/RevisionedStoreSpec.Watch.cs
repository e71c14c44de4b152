namespace EdgeCloud.Store.Tests;

public abstract partial class RevisionedStoreSpec
{
    [Fact]
    public async Task Watch_from_a_revision_replays_history_then_delivers_live_changes_with_previous_values()
    {
        await Store.CreateAsync(Cluster, "/w/a", "a1".Bytes());
        await Store.UpdateAsync(Cluster, "/w/a", "a2".Bytes(), 1);
        await using var watch = await Store.WatchAsync(Cluster, "/w/", afterRevision: 1);

        await Store.DeleteAsync(Cluster, "/w/a", 2);
        await Store.CreateAsync(Cluster, "/w/b", "b1".Bytes());
        var events = await watch.TakeAsync(3);

        Assert.Equal([2L, 3L, 4L], events.Select(e => e.Revision));
        Assert.Equal(WatchEventType.Updated, events[0].Type);
        Assert.Equal(("a2", "a1", 1L, 1L), (events[0].Value.Text(), events[0].PrevValue.Text(), events[0].PrevModRevision, events[0].CreateRevision));
        Assert.Equal(WatchEventType.Deleted, events[1].Type);
        Assert.Equal(("", "a2", 2L), (events[1].Value.Text(), events[1].PrevValue.Text(), events[1].PrevModRevision));
        Assert.Equal(WatchEventType.Created, events[2].Type);
        Assert.Equal(("b1", 0L, 4L), (events[2].Value.Text(), events[2].PrevModRevision, events[2].CreateRevision));
    }

    [Fact]
    public async Task Watch_from_zero_starts_at_the_current_revision()
    {
        await Store.CreateAsync(Cluster, "/w/old", "x".Bytes());
        await using var watch = await Store.WatchAsync(Cluster, "/w/", afterRevision: 0);
        Assert.Equal(1, watch.StartRevision);

        await Store.CreateAsync(Cluster, "/w/new", "y".Bytes());
        var events = await watch.TakeAsync(1);

        Assert.Equal("/w/new", events[0].Key);
    }

    [Fact]
    public async Task Watch_delivers_only_keys_under_its_prefix()
    {
        await using var watch = await Store.WatchAsync(Cluster, "/registry/pods/", 0);
        await Store.CreateAsync(Cluster, "/registry/podsx/a", "no".Bytes());
        await Store.CreateAsync(Cluster, "/registry/services/a", "no".Bytes());
        await Store.CreateAsync(Cluster, "/registry/pods/a", "yes".Bytes());

        var events = await watch.TakeAsync(1);

        Assert.Equal("/registry/pods/a", events[0].Key);
        Assert.Equal(3, events[0].Revision);
    }

    [Fact]
    public async Task Many_watches_of_one_cluster_each_see_every_event_once()
    {
        var watches = new List<StoreWatch>();
        for (var i = 0; i < 5; i++)
        {
            watches.Add(await Store.WatchAsync(Cluster, "/", 0));
        }

        for (var i = 0; i < 20; i++)
        {
            await Store.CreateAsync(Cluster, $"/k/{i}", "v".Bytes());
        }

        foreach (var watch in watches)
        {
            var events = await watch.TakeAsync(20);
            Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), events.Select(e => e.Revision));
            await watch.DisposeAsync();
        }
    }

    [Fact]
    public async Task Watch_of_an_unknown_cluster_is_refused()
    {
        await Assert.ThrowsAsync<ClusterNotFoundException>(() => Store.WatchAsync("nobody", "/", 0));
    }

    [Fact]
    public async Task Disposing_a_watch_completes_its_reader()
    {
        var watch = await Store.WatchAsync(Cluster, "/", 0);
        await watch.DisposeAsync();
        await watch.Events.Completion.WaitAsync(StoreTestExtensions.EventTimeout);
        Assert.True(watch.Events.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_watch_that_falls_behind_its_buffer_is_terminated_not_silently_truncated()
    {
        await ReopenAsync(o => o.WatchBufferEvents = 16);
        await using var watch = await Store.WatchAsync(Cluster, "/", 0);
        for (var i = 0; i < 40; i++)
        {
            await Store.CreateAsync(Cluster, $"/k/{i}", "v".Bytes());
        }

        var delivered = new List<WatchEvent>();
        var error = await Assert.ThrowsAsync<WatchTerminatedException>(async () =>
        {
            await foreach (var change in watch.ReadAllAsync().WithCancellation(new CancellationTokenSource(StoreTestExtensions.EventTimeout).Token))
            {
                delivered.Add(change);
            }
        });

        Assert.Contains("behind", error.Message);
        Assert.True(delivered.Count <= 16);
        Assert.Equal(Enumerable.Range(1, delivered.Count).Select(i => (long)i), delivered.Select(e => e.Revision));
    }

    [Fact]
    public async Task Catch_up_longer_than_the_buffer_waits_for_the_reader_and_then_goes_live()
    {
        await ReopenAsync(o => o.WatchBufferEvents = 16);
        for (var i = 0; i < 100; i++)
        {
            await Store.CreateAsync(Cluster, $"/h/{i}", "v".Bytes());
        }

        await using var watch = await Store.WatchAsync(Cluster, "/h/", 1);
        var history = await watch.TakeAsync(99);
        await Store.CreateAsync(Cluster, "/h/live", "v".Bytes());
        var live = await watch.TakeAsync(1);

        Assert.Equal(Enumerable.Range(2, 99).Select(i => (long)i), history.Select(e => e.Revision));
        Assert.Equal(("/h/live", 101L), (live[0].Key, live[0].Revision));
    }
}
