namespace EdgeCloud.Store.Tests;

/// <summary>
/// The store's contract, run against every backend (SignalR's HubLifetimeManagerTestBase pattern):
/// each backend class below only says how to open its database.
/// </summary>
public abstract partial class RevisionedStoreSpec(StoreBackendKind kind) : IAsyncLifetime
{
    protected const string Cluster = "alpha";

    protected TestStoreHost Host { get; private set; } = null!;

    protected RevisionedStore Store { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = await TestStoreHost.CreateAsync(kind);
        Store = await Host.OpenAsync();
        Assert.True(await Store.CreateClusterAsync(Cluster));
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }

    /// <summary>Replaces <see cref="Store"/> with one opened with other options on the same database.</summary>
    protected async Task ReopenAsync(Action<RevisionedStoreOptions> configure)
    {
        await Store.DisposeAsync();
        Store = await Host.OpenAsync(Host.Options(configure));
    }

    [Fact]
    public async Task New_cluster_starts_at_revision_zero_and_exists()
    {
        Assert.Equal(0, await Store.GetRevisionAsync(Cluster));
        Assert.True(await Store.ClusterExistsAsync(Cluster));
        Assert.False(await Store.ClusterExistsAsync("nobody"));
        Assert.False(await Store.CreateClusterAsync(Cluster));
    }

    [Fact]
    public async Task Create_then_get_returns_value_and_revisions()
    {
        var created = await Store.CreateAsync(Cluster, "/registry/pods/default/web", "v1".Bytes());

        Assert.Equal(WriteStatus.Applied, created.Status);
        Assert.Equal(1, created.Revision);
        var got = await Store.GetAsync(Cluster, "/registry/pods/default/web");
        Assert.NotNull(got.Item);
        Assert.Equal("v1", got.Item.Value.Text());
        Assert.Equal(1, got.Item.CreateRevision);
        Assert.Equal(1, got.Item.ModRevision);
        Assert.Equal(1, got.Revision);
    }

    [Fact]
    public async Task Get_of_missing_key_returns_no_item_and_the_current_revision()
    {
        await Store.CreateAsync(Cluster, "/a/b", "x".Bytes());
        var got = await Store.GetAsync(Cluster, "/a/c");
        Assert.Null(got.Item);
        Assert.Equal(1, got.Revision);
    }

    [Fact]
    public async Task Create_of_existing_key_is_refused_with_the_stored_version()
    {
        await Store.CreateAsync(Cluster, "/k", "first".Bytes());
        var again = await Store.CreateAsync(Cluster, "/k", "second".Bytes());

        Assert.Equal(WriteStatus.AlreadyExists, again.Status);
        Assert.Equal("first", again.Item!.Value.Text());
        Assert.Equal(1, await Store.GetRevisionAsync(Cluster));
        Assert.Equal("first", (await Store.GetAsync(Cluster, "/k")).Item!.Value.Text());
    }

    [Fact]
    public async Task Update_with_the_expected_mod_revision_applies_and_keeps_create_revision()
    {
        await Store.CreateAsync(Cluster, "/k", "v1".Bytes());
        await Store.CreateAsync(Cluster, "/other", "o".Bytes());
        var updated = await Store.UpdateAsync(Cluster, "/k", "v2".Bytes(), expectedModRevision: 1);

        Assert.Equal(WriteStatus.Applied, updated.Status);
        Assert.Equal(3, updated.Revision);
        Assert.Equal(1, updated.Item!.CreateRevision);
        Assert.Equal(3, updated.Item.ModRevision);
        var got = (await Store.GetAsync(Cluster, "/k")).Item!;
        Assert.Equal("v2", got.Value.Text());
        Assert.Equal((1L, 3L), (got.CreateRevision, got.ModRevision));
    }

    [Fact]
    public async Task Update_with_a_stale_mod_revision_conflicts_and_changes_nothing()
    {
        await Store.CreateAsync(Cluster, "/k", "v1".Bytes());
        await Store.UpdateAsync(Cluster, "/k", "v2".Bytes(), 1);

        var stale = await Store.UpdateAsync(Cluster, "/k", "v3".Bytes(), expectedModRevision: 1);

        Assert.Equal(WriteStatus.Conflict, stale.Status);
        Assert.Equal("v2", stale.Item!.Value.Text());
        Assert.Equal(2, stale.Item.ModRevision);
        Assert.Equal(2, stale.Revision);
        Assert.Equal(2, await Store.GetRevisionAsync(Cluster));
        Assert.Equal("v2", (await Store.GetAsync(Cluster, "/k")).Item!.Value.Text());
    }

    [Fact]
    public async Task Unconditional_update_applies_whatever_the_mod_revision()
    {
        await Store.CreateAsync(Cluster, "/k", "v1".Bytes());
        var updated = await Store.UpdateAsync(Cluster, "/k", "v2".Bytes(), expectedModRevision: 0);
        Assert.Equal(WriteStatus.Applied, updated.Status);
    }

    [Fact]
    public async Task Update_and_delete_of_a_missing_key_are_not_found_and_take_no_revision()
    {
        var update = await Store.UpdateAsync(Cluster, "/missing", "v".Bytes(), 0);
        var delete = await Store.DeleteAsync(Cluster, "/missing", 0);

        Assert.Equal(WriteStatus.NotFound, update.Status);
        Assert.Equal(WriteStatus.NotFound, delete.Status);
        Assert.Equal(0, await Store.GetRevisionAsync(Cluster));
        Assert.Null((await Store.GetAsync(Cluster, "/missing")).Item);
    }

    [Fact]
    public async Task Delete_guarded_by_mod_revision_removes_the_key_and_returns_it()
    {
        await Store.CreateAsync(Cluster, "/k", "v1".Bytes());
        var stale = await Store.DeleteAsync(Cluster, "/k", expectedModRevision: 7);
        Assert.Equal(WriteStatus.Conflict, stale.Status);
        Assert.NotNull((await Store.GetAsync(Cluster, "/k")).Item);

        var deleted = await Store.DeleteAsync(Cluster, "/k", expectedModRevision: 1);

        Assert.Equal(WriteStatus.Applied, deleted.Status);
        Assert.Equal(2, deleted.Revision);
        Assert.Equal("v1", deleted.Item!.Value.Text());
        Assert.Null((await Store.GetAsync(Cluster, "/k")).Item);
    }

    [Fact]
    public async Task A_key_created_again_after_delete_gets_a_new_create_revision()
    {
        await Store.CreateAsync(Cluster, "/k", "v1".Bytes());
        await Store.DeleteAsync(Cluster, "/k", 1);
        var again = await Store.CreateAsync(Cluster, "/k", "v2".Bytes());

        Assert.Equal(3, again.Item!.CreateRevision);
        Assert.Equal(3, (await Store.GetAsync(Cluster, "/k")).Item!.CreateRevision);
    }

    [Fact]
    public async Task Every_successful_write_takes_the_next_revision()
    {
        var revisions = new List<long>
        {
            (await Store.CreateAsync(Cluster, "/a", "1".Bytes())).Revision,
            (await Store.CreateAsync(Cluster, "/b", "1".Bytes())).Revision,
        };
        await Store.CreateAsync(Cluster, "/a", "dup".Bytes());
        revisions.Add((await Store.UpdateAsync(Cluster, "/a", "2".Bytes(), 1)).Revision);
        await Store.UpdateAsync(Cluster, "/a", "stale".Bytes(), 1);
        revisions.Add((await Store.DeleteAsync(Cluster, "/b", 0)).Revision);

        Assert.Equal([1L, 2L, 3L, 4L], revisions);
        Assert.Equal(4, await Store.GetRevisionAsync(Cluster));
    }

    [Fact]
    public async Task Values_round_trip_byte_for_byte()
    {
        var value = new byte[70_000];
        new Random(42).NextBytes(value);
        await Store.CreateAsync(Cluster, "/blob", value);
        Assert.Equal(value, (await Store.GetAsync(Cluster, "/blob")).Item!.Value.ToArray());
        var empty = await Store.CreateAsync(Cluster, "/empty", ReadOnlyMemory<byte>.Empty);
        Assert.Equal(WriteStatus.Applied, empty.Status);
        Assert.Equal(0, (await Store.GetAsync(Cluster, "/empty")).Item!.Value.Length);
    }
}
