using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.OpenApi;

namespace EdgeCloud.Kube.Tests.OpenApi;

public sealed class OpenApiDocumentsTests
{
    [Fact]
    public void The_index_lists_every_group_version_with_a_hashed_url()
    {
        var index = OpenApiDocuments.Index(BuiltInKinds.All, "v1.33.0");
        var paths = index["paths"]!.AsObject();
        Assert.Contains("api/v1", paths.Select(static p => p.Key));
        Assert.Contains("apis/apps/v1", paths.Select(static p => p.Key));
        Assert.Matches("^/openapi/v3/apis/apps/v1\\?hash=[0-9A-F]{128}$", paths["apis/apps/v1"]!["serverRelativeURL"]!.GetValue<string>());
    }

    [Fact]
    public void Patch_operations_declare_fieldValidation_and_the_kind()
    {
        var document = OpenApiDocuments.GroupVersion(BuiltInKinds.All, "apps", "v1", "v1.33.0")!;
        var patch = document["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;
        Assert.Contains("fieldValidation", patch["parameters"]!.AsArray().Select(static p => p!["name"]!.GetValue<string>()));
        Assert.Equal("Deployment", patch["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public void Kind_schemas_carry_their_group_version_kind_and_merge_metadata()
    {
        var document = OpenApiDocuments.GroupVersion(BuiltInKinds.All, "apps", "v1", "v1.33.0")!;
        var deployment = document["components"]!["schemas"]!["io.k8s.api.apps.v1.Deployment"]!;
        Assert.Equal("apps", deployment["x-kubernetes-group-version-kind"]![0]!["group"]!.GetValue<string>());
        var containers = deployment["properties"]!["spec"]!["properties"]!["template"]!["properties"]!["spec"]!["properties"]!["containers"]!;
        Assert.Equal("merge", containers["x-kubernetes-patch-strategy"]!.GetValue<string>());
        Assert.Equal("name", containers["x-kubernetes-patch-merge-key"]!.GetValue<string>());
        Assert.Equal(1, deployment["properties"]!["spec"]!["properties"]!["replicas"]!["default"]!.GetValue<int>());
    }

    [Fact]
    public void Nothing_is_served_for_an_unknown_group_version()
    {
        Assert.Null(OpenApiDocuments.GroupVersion(BuiltInKinds.All, "example.com", "v1", "v1.33.0"));
    }
}
