using System.Text;
using EdgeCloud.Controllers.Informers;

namespace EdgeCloud.Controllers.Tests.Informers;

public sealed class ObjectMetaTests
{
    [Fact]
    public void Metadata_is_read_wherever_it_stands_in_the_stored_object()
    {
        var stored = Encoding.UTF8.GetBytes("""
            {"spec":{"nested":{"metadata":{"name":"not-this"}},"list":[1,{"a":[2]}]},
             "metadata":{"name":"web-1","namespace":"shop","uid":"u-1","finalizers":["orphan","x"],
                         "deletionTimestamp":"2026-12-01T12:00:00Z",
                         "ownerReferences":[{"uid":"o-1","kind":"ReplicaSet","name":"web","blockOwnerDeletion":true},{"uid":"o-2","kind":"Thing","name":"t"}]},
             "status":{}}
            """);
        var meta = ObjectMeta.Parse("/core/pods/shop/web-1", 42, stored)!;
        Assert.Equal("web-1", meta.Name);
        Assert.Equal("shop", meta.Namespace);
        Assert.Equal("u-1", meta.Uid);
        Assert.Equal(42, meta.Revision);
        Assert.Equal("/core/pods/", meta.KindPrefix);
        Assert.True(meta.Deleting);
        Assert.Equal(["orphan", "x"], meta.Finalizers);
        Assert.Equal([new OwnerLink("o-1", "ReplicaSet", "web", true), new OwnerLink("o-2", "Thing", "t", false)], meta.Owners);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("{\"spec\":{}}")]
    [InlineData("{\"metadata\":{\"namespace\":\"x\"}}")]
    [InlineData("{\"metadata\":")]
    [InlineData("not json")]
    public void Values_without_a_named_object_have_no_metadata(string stored) =>
        Assert.Null(ObjectMeta.Parse("/core/configmaps/x/y", 1, Encoding.UTF8.GetBytes(stored)));

    [Fact]
    public void Cluster_scoped_keys_give_their_kind_prefix() =>
        Assert.Equal("/apiextensions.k8s.io/customresourcedefinitions/", ObjectMeta.KindPrefixOf("/apiextensions.k8s.io/customresourcedefinitions/crontabs.stable.example.com"));
}
