namespace EdgeCloud.Store.Tests;

public abstract partial class RevisionedStoreSpec
{
    [Fact]
    public async Task List_returns_only_keys_under_the_prefix_in_key_order()
    {
        foreach (var key in new[] { "/registry/pods/b/x", "/registry/pods/a/y", "/registry/pods/a/x", "/registry/podsx/a", "/registry/pod", "/registry/services/a/s" })
        {
            await Store.CreateAsync(Cluster, key, key.Bytes());
        }

        var page = await Store.ListAsync(Cluster, new ListRequest { Prefix = "/registry/pods/" });

        Assert.Equal(["/registry/pods/a/x", "/registry/pods/a/y", "/registry/pods/b/x"], page.Items.Select(i => i.Key));
        Assert.Equal(6, page.Revision);
        Assert.Null(page.Continue);
    }

    [Fact]
    public async Task Count_counts_the_live_keys_under_a_prefix_of_one_cluster()
    {
        foreach (var key in new[] { "/registry/pods/a/x", "/registry/pods/a/y", "/registry/podsx/a", "/registry/services/a/s" })
        {
            await Store.CreateAsync(Cluster, key, key.Bytes());
        }

        await Store.CreateClusterAsync("count-other");
        await Store.CreateAsync("count-other", "/registry/pods/a/z", "z".Bytes());
        await Store.DeleteAsync(Cluster, "/registry/pods/a/y", 0);

        Assert.Equal(1, await Store.CountAsync(Cluster, "/registry/pods/"));
        Assert.Equal(3, await Store.CountAsync(Cluster, "/"));
        Assert.Equal(0, await Store.CountAsync(Cluster, "/nothing/"));
        Assert.Equal(1, await Store.CountAsync("count-other", "/"));
        await Assert.ThrowsAsync<ClusterNotFoundException>(() => Store.CountAsync("count-missing", "/"));
    }

    [Fact]
    public async Task PagesAsync_yields_one_snapshot_in_pages_while_keys_change_between_them()
    {
        for (var i = 0; i < 25; i++)
        {
            await Store.CreateAsync(Cluster, $"/pg/{i:D2}", $"v{i}".Bytes());
        }

        var snapshot = await Store.GetRevisionAsync(Cluster);
        var pages = new List<ListResult>();
        await foreach (var page in Store.PagesAsync(Cluster, "/pg/", 10))
        {
            pages.Add(page);
            if (pages.Count == 1)
            {
                // Between pages: a key of a later page changes, another goes, a new one comes.
                await Store.UpdateAsync(Cluster, "/pg/15", "changed".Bytes(), 0);
                await Store.DeleteAsync(Cluster, "/pg/16", 0);
                await Store.CreateAsync(Cluster, "/pg/99", "new".Bytes());
            }
        }

        Assert.Equal([10, 10, 5], pages.Select(static p => p.Items.Count));
        Assert.All(pages, page => Assert.Equal(snapshot, page.Revision));
        var all = pages.SelectMany(static p => p.Items).ToList();
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"/pg/{i:D2}"), all.Select(i => i.Key));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"v{i}"), all.Select(i => i.Value.Text()));

        var whole = await Store.PagesAsync(Cluster, "/pg/", 0).ToListAsync();
        Assert.Single(whole);
        Assert.Equal(25, whole[0].Items.Count);
        Assert.Contains(whole[0].Items, static i => i.Key == "/pg/99");
        Assert.DoesNotContain(whole[0].Items, static i => i.Key == "/pg/16");
        Assert.Throws<ArgumentOutOfRangeException>(() => Store.PagesAsync(Cluster, "/pg/", -1));
    }

    [Fact]
    public async Task List_pages_all_read_the_first_pages_revision_while_writes_continue()
    {
        for (var i = 0; i < 25; i++)
        {
            await Store.CreateAsync(Cluster, $"/cm/{i:D2}", $"v{i}".Bytes());
        }

        var snapshot = await Store.GetRevisionAsync(Cluster);
        var first = await Store.ListAsync(Cluster, new ListRequest { Prefix = "/cm/", Limit = 10 });
        Assert.Equal(10, first.Items.Count);
        Assert.NotNull(first.Continue);

        // Writes between pages: an update and a delete on later pages, a new key, and a delete + re-create.
        await Store.UpdateAsync(Cluster, "/cm/15", "changed".Bytes(), 0);
        await Store.DeleteAsync(Cluster, "/cm/16", 0);
        await Store.CreateAsync(Cluster, "/cm/99", "new".Bytes());
        await Store.DeleteAsync(Cluster, "/cm/20", 0);
        await Store.CreateAsync(Cluster, "/cm/20", "reborn".Bytes());

        var second = await Store.ListAsync(Cluster, new ListRequest { Prefix = "/cm/", Limit = 10, Continue = first.Continue });
        var third = await Store.ListAsync(Cluster, new ListRequest { Prefix = "/cm/", Limit = 10, Continue = second.Continue });

        Assert.Equal(snapshot, second.Revision);
        Assert.Equal(snapshot, third.Revision);
        Assert.Null(third.Continue);
        var all = first.Items.Concat(second.Items).Concat(third.Items).ToList();
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"/cm/{i:D2}"), all.Select(i => i.Key));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"v{i}"), all.Select(i => i.Value.Text()));
        Assert.All(all, item => Assert.True(item.ModRevision <= snapshot));
        Assert.Equal(16, all.Single(i => i.Key == "/cm/15").ModRevision);
        Assert.Equal(21, all.Single(i => i.Key == "/cm/20").CreateRevision);

        // A fresh list sees the new state.
        var now = await Store.ListAllAsync(Cluster, "/cm/");
        Assert.Equal("changed", now.Single(i => i.Key == "/cm/15").Value.Text());
        Assert.DoesNotContain(now, i => i.Key == "/cm/16");
        Assert.Equal("reborn", now.Single(i => i.Key == "/cm/20").Value.Text());
        Assert.Contains(now, i => i.Key == "/cm/99");
    }

    [Fact]
    public async Task List_at_an_older_revision_shows_the_state_of_that_revision()
    {
        await Store.CreateAsync(Cluster, "/x/a", "a1".Bytes());
        await Store.CreateAsync(Cluster, "/x/b", "b1".Bytes());
        await Store.UpdateAsync(Cluster, "/x/a", "a2".Bytes(), 0);
        await Store.DeleteAsync(Cluster, "/x/b", 0);
        await Store.CreateAsync(Cluster, "/x/c", "c1".Bytes());

        var at2 = await Store.ListAsync(Cluster, new ListRequest { Prefix = "/x/", Revision = 2 });
        var at3 = await Store.ListAsync(Cluster, new ListRequest { Prefix = "/x/", Revision = 3 });

        Assert.Equal(["/x/a=a1", "/x/b=b1"], at2.Items.Select(i => $"{i.Key}={i.Value.Text()}"));
        Assert.Equal(["/x/a=a2", "/x/b=b1"], at3.Items.Select(i => $"{i.Key}={i.Value.Text()}"));
        Assert.Equal(2, at2.Revision);
    }

    [Fact]
    public async Task List_at_a_future_revision_is_refused()
    {
        await Store.CreateAsync(Cluster, "/x/a", "a".Bytes());
        var error = await Assert.ThrowsAsync<FutureRevisionException>(() => Store.ListAsync(Cluster, new ListRequest { Prefix = "/x/", Revision = 5 }));
        Assert.Equal(1, error.CurrentRevision);
    }

    [Fact]
    public async Task List_with_a_malformed_or_foreign_continue_token_is_refused()
    {
        for (var i = 0; i < 3; i++)
        {
            await Store.CreateAsync(Cluster, $"/p/{i}", "v".Bytes());
        }

        var first = await Store.ListAsync(Cluster, new ListRequest { Prefix = "/p/", Limit = 1 });
        await Assert.ThrowsAsync<InvalidStoreRequestException>(() => Store.ListAsync(Cluster, new ListRequest { Prefix = "/p/", Continue = "not-a-token!" }));
        await Assert.ThrowsAsync<InvalidStoreRequestException>(() => Store.ListAsync(Cluster, new ListRequest { Prefix = "/q/", Continue = first.Continue }));
        await Assert.ThrowsAsync<InvalidStoreRequestException>(() => Store.ListAsync(Cluster, new ListRequest { Prefix = "/p/", Limit = -1 }));
    }

    [Fact]
    public async Task List_of_an_empty_prefix_returns_nothing_at_the_current_revision()
    {
        await Store.CreateAsync(Cluster, "/x/a", "a".Bytes());
        var page = await Store.ListAsync(Cluster, new ListRequest { Prefix = "/y/", Limit = 10 });
        Assert.Empty(page.Items);
        Assert.Equal(1, page.Revision);
        Assert.Null(page.Continue);
    }
}
