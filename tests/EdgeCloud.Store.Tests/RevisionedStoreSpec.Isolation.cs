namespace EdgeCloud.Store.Tests;

public abstract partial class RevisionedStoreSpec
{
    [Fact]
    public async Task Clusters_never_see_each_others_keys_revisions_or_events()
    {
        Assert.True(await Store.CreateClusterAsync("beta"));
        await using var betaWatch = await Store.WatchAsync("beta", "/", 0);
        await Store.CreateAsync(Cluster, "/shared/name", "alpha".Bytes());
        await Store.CreateAsync(Cluster, "/only/alpha", "alpha".Bytes());
        await Store.CreateAsync("beta", "/shared/name", "beta".Bytes());

        Assert.Equal(2, await Store.GetRevisionAsync(Cluster));
        Assert.Equal(1, await Store.GetRevisionAsync("beta"));
        Assert.Equal("beta", (await Store.GetAsync("beta", "/shared/name")).Item!.Value.Text());
        Assert.Null((await Store.GetAsync("beta", "/only/alpha")).Item);
        Assert.Equal(["/shared/name"], (await Store.ListAllAsync("beta", "/")).Select(i => i.Key));
        var conflict = await Store.UpdateAsync("beta", "/only/alpha", "x".Bytes(), 2);
        Assert.Equal(WriteStatus.NotFound, conflict.Status);

        var events = await betaWatch.TakeAsync(1);
        Assert.Equal(("beta", 1L), (events[0].Value.Text(), events[0].Revision));
        // The next beta event is beta's own, not one of alpha's.
        await Store.CreateAsync(Cluster, "/later", "alpha".Bytes());
        await Store.CreateAsync("beta", "/marker", "beta".Bytes());
        Assert.Equal("/marker", (await betaWatch.TakeAsync(1))[0].Key);
    }

    [Fact]
    public async Task Deleting_a_cluster_removes_its_state_and_ends_its_watches()
    {
        Assert.True(await Store.CreateClusterAsync("doomed"));
        await Store.CreateAsync("doomed", "/k", "v".Bytes());
        await Store.CreateAsync(Cluster, "/k", "survives".Bytes());
        var watch = await Store.WatchAsync("doomed", "/", 0);

        Assert.True(await Store.DeleteClusterAsync("doomed"));

        await Assert.ThrowsAsync<WatchTerminatedException>(() => watch.Events.Completion.WaitAsync(StoreTestExtensions.EventTimeout));
        await watch.DisposeAsync();
        await Assert.ThrowsAsync<ClusterNotFoundException>(() => Store.GetAsync("doomed", "/k"));
        await Assert.ThrowsAsync<ClusterNotFoundException>(() => Store.CreateAsync("doomed", "/k", "v".Bytes()));
        Assert.False(await Store.DeleteClusterAsync("doomed"));
        Assert.Equal("survives", (await Store.GetAsync(Cluster, "/k")).Item!.Value.Text());

        // Re-created under the same name, it starts empty at revision 0.
        Assert.True(await Store.CreateClusterAsync("doomed"));
        Assert.Equal(0, await Store.GetRevisionAsync("doomed"));
        Assert.Null((await Store.GetAsync("doomed", "/k")).Item);
    }

    [Fact]
    public async Task Every_operation_on_an_unknown_cluster_fails_clearly_and_stores_nothing()
    {
        var error = await Assert.ThrowsAsync<ClusterNotFoundException>(() => Store.CreateAsync("ghost", "/k", "v".Bytes()));
        Assert.Contains("ghost", error.Message);
        await Assert.ThrowsAsync<ClusterNotFoundException>(() => Store.UpdateAsync("ghost", "/k", "v".Bytes(), 0));
        await Assert.ThrowsAsync<ClusterNotFoundException>(() => Store.DeleteAsync("ghost", "/k", 0));
        await Assert.ThrowsAsync<ClusterNotFoundException>(() => Store.GetAsync("ghost", "/k"));
        await Assert.ThrowsAsync<ClusterNotFoundException>(() => Store.ListAsync("ghost", new ListRequest { Prefix = "/" }));
        await Assert.ThrowsAsync<ClusterNotFoundException>(() => Store.GetRevisionAsync("ghost"));
        Assert.False(await Store.ClusterExistsAsync("ghost"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-slash")]
    [InlineData("/trailing/")]
    [InlineData("/")]
    [InlineData("/double//slash")]
    [InlineData("/dot/./segment")]
    [InlineData("/dot/../segment")]
    [InlineData("/with space")]
    [InlineData("/tab\there")]
    [InlineData("/non-ascii/é")]
    [InlineData("/nul/\0")]
    public async Task Malformed_keys_are_refused_and_nothing_is_stored(string key)
    {
        var error = await Assert.ThrowsAsync<InvalidStoreRequestException>(() => Store.CreateAsync(Cluster, key, "v".Bytes()));
        Assert.Equal("key", error.Parameter);
        await Assert.ThrowsAsync<InvalidStoreRequestException>(() => Store.UpdateAsync(Cluster, key, "v".Bytes(), 0));
        await Assert.ThrowsAsync<InvalidStoreRequestException>(() => Store.GetAsync(Cluster, key));
        Assert.Equal(0, await Store.GetRevisionAsync(Cluster));
    }

    [Fact]
    public async Task Oversized_keys_and_values_are_refused_and_nothing_is_stored()
    {
        var big = new byte[new RevisionedStoreOptions().MaxValueBytes + 1];
        var error = await Assert.ThrowsAsync<InvalidStoreRequestException>(() => Store.CreateAsync(Cluster, "/big", big));
        Assert.Equal("value", error.Parameter);
        Assert.Contains("limit", error.Message);
        await Assert.ThrowsAsync<InvalidStoreRequestException>(() => Store.CreateAsync(Cluster, "/" + new string('k', 2000), "v".Bytes()));

        Assert.Equal(0, await Store.GetRevisionAsync(Cluster));
        Assert.Empty(await Store.ListAllAsync(Cluster, "/"));
        // The largest allowed value is accepted.
        Assert.Equal(WriteStatus.Applied, (await Store.CreateAsync(Cluster, "/max", big.AsMemory(1))).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("UPPER")]
    [InlineData("-leading")]
    [InlineData("trailing-")]
    [InlineData("has_underscore")]
    [InlineData("a/b")]
    [InlineData("alpha%2Fbeta")]
    [InlineData("this-cluster-id-is-far-too-long-to-be-a-dns-label-of-sixty-three-chars")]
    public async Task Malformed_cluster_ids_are_refused(string clusterId)
    {
        await Assert.ThrowsAsync<InvalidStoreRequestException>(() => Store.CreateClusterAsync(clusterId));
        await Assert.ThrowsAsync<InvalidStoreRequestException>(() => Store.CreateAsync(clusterId, "/k", "v".Bytes()));
        await Assert.ThrowsAsync<InvalidStoreRequestException>(() => Store.GetAsync(clusterId, "/k"));
    }

    [Fact]
    public async Task Negative_revisions_and_bad_ttls_are_refused()
    {
        await Assert.ThrowsAsync<InvalidStoreRequestException>(() => Store.UpdateAsync(Cluster, "/k", "v".Bytes(), -1));
        await Assert.ThrowsAsync<InvalidStoreRequestException>(() => Store.CreateAsync(Cluster, "/k", "v".Bytes(), TimeSpan.Zero));
        await Assert.ThrowsAsync<InvalidStoreRequestException>(() => Store.WatchAsync(Cluster, "/", -5));
        await Assert.ThrowsAsync<InvalidStoreRequestException>(() => Store.ListAsync(Cluster, new ListRequest { Prefix = "/", Revision = -1 }));
        Assert.Equal(0, await Store.GetRevisionAsync(Cluster));
    }
}
