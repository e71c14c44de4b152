using EdgeCloud.Kube.Patching;
using static EdgeCloud.Kube.Tests.Patching.JsonAssert;

namespace EdgeCloud.Kube.Tests.Patching;

public class ObjectPatchTests
{
    private const string Pod = """{"metadata":{"name":"web","labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1"}]}}""";

    [Fact]
    public void Json_patch_content_type_runs_json_patch()
    {
        var result = ObjectPatch.Apply("application/json-patch+json", Object(Pod),
            Parse("""[{"op":"replace","path":"/spec/containers/0/image","value":"nginx:2"}]"""), PatchTestSchemas.Pod);
        Assert.Equal("nginx:2", (string)result["spec"]!["containers"]![0]!["image"]!);
    }

    [Fact]
    public void Merge_patch_content_type_replaces_lists()
    {
        var result = ObjectPatch.Apply("application/merge-patch+json; charset=utf-8", Object(Pod),
            Parse("""{"spec":{"containers":[{"name":"log"}]}}"""), PatchTestSchemas.Pod);
        Equal("""[{"name":"log"}]""", result["spec"]!["containers"]);
    }

    [Fact]
    public void Strategic_merge_patch_content_type_merges_lists_by_key()
    {
        var result = ObjectPatch.Apply("Application/Strategic-Merge-Patch+JSON", Object(Pod),
            Parse("""{"spec":{"containers":[{"name":"log"}]}}"""), PatchTestSchemas.Pod);
        Equal("""[{"name":"log"},{"name":"web","image":"nginx:1"}]""", result["spec"]!["containers"]);
    }

    [Theory]
    [InlineData("application/apply-patch+yaml", true)]
    [InlineData("application/json", true)]
    [InlineData("application/strategic-merge-patch+json", false)]
    public void Unserved_content_types_are_415(string contentType, bool strategicMergeAllowed)
    {
        var error = Assert.Throws<PatchException>(() => ObjectPatch.Apply(contentType, Object(Pod), Parse("{}"), PatchTestSchemas.Pod, strategicMergeAllowed));
        Assert.Equal(415, error.StatusCode);
        Assert.Equal("UnsupportedMediaType", error.Reason);
        Assert.Contains("application/merge-patch+json", error.Message);
        Assert.Equal(strategicMergeAllowed, error.Message.Contains(StrategicMergePatch.MediaType, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("application/json-patch+json", """[{"op":"replace","path":"","value":[1]}]""")]
    [InlineData("application/merge-patch+json", "\"text\"")]
    public void A_patch_that_leaves_no_object_is_422(string contentType, string patch)
    {
        var error = Assert.Throws<PatchException>(() => ObjectPatch.Apply(contentType, Object(Pod), Parse(patch), PatchTestSchemas.Pod));
        Assert.Equal(422, error.StatusCode);
        Assert.Contains("must be a JSON object", error.Message);
    }
}
