using System.Text.Json.Nodes;
using EdgeCloud.Kube.Patching;
using static EdgeCloud.Kube.Tests.Patching.JsonAssert;

namespace EdgeCloud.Kube.Tests.Patching;

public class JsonPatchTests
{
    // RFC 6902 appendix A examples that succeed, plus pointer escaping and the kube-apiserver cases that pass.
    [Theory]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux"}]""", """{"baz":"qux","foo":"bar"}""")]
    [InlineData("""{"foo":["bar","baz"]}""", """[{"op":"add","path":"/foo/1","value":"qux"}]""", """{"foo":["bar","qux","baz"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"remove","path":"/baz"}]""", """{"foo":"bar"}""")]
    [InlineData("""{"foo":["bar","qux","baz"]}""", """[{"op":"remove","path":"/foo/1"}]""", """{"foo":["bar","baz"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"replace","path":"/baz","value":"boo"}]""", """{"baz":"boo","foo":"bar"}""")]
    [InlineData("""{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}""", """[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]""", """{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}""")]
    [InlineData("""{"foo":["all","grass","cows","eat"]}""", """[{"op":"move","from":"/foo/1","path":"/foo/3"}]""", """{"foo":["all","cows","eat","grass"]}""")]
    [InlineData("""{"baz":"qux","foo":["a",2,"c"]}""", """[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]""", """{"baz":"qux","foo":["a",2,"c"]}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/child","value":{"grandchild":{}}}]""", """{"foo":"bar","child":{"grandchild":{}}}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux","xyz":123}]""", """{"foo":"bar","baz":"qux"}""")]
    [InlineData("""{"foo":["bar"]}""", """[{"op":"add","path":"/foo/-","value":["abc","def"]}]""", """{"foo":["bar",["abc","def"]]}""")]
    [InlineData("""{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":10},{"op":"replace","path":"/~1","value":1}]""", """{"/":1,"~1":10}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/foo","value":"again"}]""", """{"foo":"again"}""")]
    [InlineData("""{"foo":[1,2]}""", """[{"op":"add","path":"/foo/2","value":3}]""", """{"foo":[1,2,3]}""")]
    [InlineData("""{"foo":{"a":1}}""", """[{"op":"copy","from":"/foo","path":"/bar"},{"op":"replace","path":"/bar/a","value":2}]""", """{"foo":{"a":1},"bar":{"a":2}}""")]
    [InlineData("""{"foo":1}""", """[{"op":"move","from":"/foo","path":"/foo"}]""", """{"foo":1}""")]
    [InlineData("""{"foo":1}""", """[{"op":"replace","path":"","value":[1]}]""", """[1]""")]
    [InlineData("""{"foo":1}""", """[{"op":"add","path":"","value":{"bar":2}}]""", """{"bar":2}""")]
    [InlineData("""{"n":1}""", """[{"op":"test","path":"/n","value":1.0}]""", """{"n":1}""")]
    [InlineData("""{"o":{"a":1,"b":[1,{"c":true}]}}""", """[{"op":"test","path":"/o","value":{"b":[1,{"c":true}],"a":1}}]""", """{"o":{"a":1,"b":[1,{"c":true}]}}""")]
    [InlineData("""{"foo":1}""", """[]""", """{"foo":1}""")]
    [InlineData("""{"a":null}""", """[{"op":"replace","path":"/a","value":2}]""", """{"a":2}""")]
    public void Operations_apply(string document, string patch, string expected) =>
        Equal(expected, JsonPatch.Apply(Parse(document), Parse(patch)));

    [Fact]
    public void Test_of_a_missing_member_with_a_null_value_passes_as_in_kube_apiserver() =>
        Equal("""{"a":1}""", JsonPatch.Apply(Parse("""{"a":1}"""), Parse("""[{"op":"test","path":"/missing","value":null}]""")));

    [Fact]
    public void Kubectl_style_patch_edits_a_pod()
    {
        var pod = Parse("""{"metadata":{"name":"web","labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1"}]}}""");
        var patch = Parse("""
            [
              {"op":"replace","path":"/spec/containers/0/image","value":"nginx:2"},
              {"op":"add","path":"/metadata/labels/app.kubernetes.io~1version","value":"2"},
              {"op":"add","path":"/spec/containers/-","value":{"name":"log","image":"busybox"}},
              {"op":"remove","path":"/metadata/labels/app"}
            ]
            """);

        Equal("""{"metadata":{"name":"web","labels":{"app.kubernetes.io/version":"2"}},"spec":{"containers":[{"name":"web","image":"nginx:2"},{"name":"log","image":"busybox"}]}}""",
            JsonPatch.Apply(pod, patch));
    }

    [Fact]
    public void Inputs_are_not_changed()
    {
        var document = Parse("""{"a":{"b":[1,2]},"c":{"d":1}}""");
        var patch = Parse("""[{"op":"add","path":"/a/b/0","value":{"x":1}},{"op":"move","from":"/c","path":"/e"},{"op":"copy","from":"/a","path":"/f"}]""");
        var documentText = document!.ToJsonString();
        var patchText = patch!.ToJsonString();

        var result = JsonPatch.Apply(document, patch)!;
        result["a"]!["b"]![0]!["x"] = 2;

        Assert.Equal(documentText, document.ToJsonString());
        Assert.Equal(patchText, patch.ToJsonString());
        Equal("""{"b":[{"x":1},1,2]}""", result["f"]);
    }

    [Fact]
    public void A_failing_operation_leaves_nothing_half_applied()
    {
        var document = Parse("""{"a":1}""");
        Assert.Throws<PatchException>(() => JsonPatch.Apply(document, Parse("""[{"op":"add","path":"/b","value":2},{"op":"test","path":"/a","value":3}]""")));
        Equal("""{"a":1}""", document);
    }

    // Every refusal, with the status kube-apiserver answers and a message that says what is wrong.
    [Theory]
    [InlineData("""{"a":1}""", """{"op":"add","path":"/a","value":1}""", 400, "must be an array")]
    [InlineData("""{"a":1}""", """[1]""", 400, "must be an object")]
    [InlineData("""{"a":1}""", """null""", 400, "must be an array")]
    [InlineData("""{"a":1}""", """[{"path":"/a","value":1}]""", 422, "missing \"op\"")]
    [InlineData("""{"a":1}""", """[{"op":"add","value":1}]""", 422, "missing \"path\"")]
    [InlineData("""{"a":1}""", """[{"op":5,"path":"/a"}]""", 422, "\"op\" must be a string")]
    [InlineData("""{"a":1}""", """[{"op":"frobnicate","path":"/a"}]""", 422, "unknown op \"frobnicate\"")]
    [InlineData("""{"a":1}""", """[{"op":"add","path":"/b"}]""", 422, "missing \"value\"")]
    [InlineData("""{"a":1}""", """[{"op":"replace","path":"/a"}]""", 422, "missing \"value\"")]
    [InlineData("""{"a":1}""", """[{"op":"test","path":"/a"}]""", 422, "missing \"value\"")]
    [InlineData("""{"a":1}""", """[{"op":"move","path":"/b"}]""", 422, "missing \"from\"")]
    [InlineData("""{"a":1}""", """[{"op":"copy","path":"/b"}]""", 422, "missing \"from\"")]
    [InlineData("""{"a":1}""", """[{"op":"add","path":"a","value":1}]""", 422, "invalid JSON pointer")]
    [InlineData("""{"a":1}""", """[{"op":"add","path":"/missing/child","value":1}]""", 422, "add operation does not apply: doc is missing path: \"/missing/child\"")]
    [InlineData("""{"a":1}""", """[{"op":"add","path":"/a/child","value":1}]""", 422, "doc is missing path")]
    [InlineData("""{"a":[1]}""", """[{"op":"add","path":"/a/2","value":1}]""", 422, "past the end")]
    [InlineData("""{"a":[1]}""", """[{"op":"add","path":"/a/01","value":1}]""", 422, "not an array index")]
    [InlineData("""{"a":[1]}""", """[{"op":"add","path":"/a/-1","value":1}]""", 422, "not an array index")]
    [InlineData("""{"a":1}""", """[{"op":"remove","path":"/b"}]""", 422, "remove operation does not apply: doc is missing path: \"/b\"")]
    [InlineData("""{"a":[1]}""", """[{"op":"remove","path":"/a/1"}]""", 422, "out of bounds")]
    [InlineData("""{"a":[1]}""", """[{"op":"remove","path":"/a/-"}]""", 422, "not an array index")]
    [InlineData("""{"a":1}""", """[{"op":"remove","path":""}]""", 422, "whole document")]
    [InlineData("""{"a":1}""", """[{"op":"replace","path":"/b","value":1}]""", 422, "replace operation does not apply: doc is missing path")]
    [InlineData("""{"a":[1]}""", """[{"op":"replace","path":"/a/1","value":1}]""", 422, "out of bounds")]
    [InlineData("""{"a":1}""", """[{"op":"move","from":"/b","path":"/c"}]""", 422, "move operation does not apply: doc is missing path: \"/b\"")]
    [InlineData("""{"a":{"b":1}}""", """[{"op":"move","from":"/a","path":"/a/b/c"}]""", 422, "into its own child")]
    [InlineData("""{"a":1}""", """[{"op":"copy","from":"/b","path":"/c"}]""", 422, "copy operation does not apply")]
    [InlineData("""{"a":1}""", """[{"op":"test","path":"/a","value":2}]""", 422, "test operation failed: the value at \"/a\" is 1, not 2")]
    [InlineData("""{"a":1}""", """[{"op":"test","path":"/a","value":"1"}]""", 422, "test operation failed")]
    [InlineData("""{"a":1}""", """[{"op":"test","path":"/b","value":1}]""", 422, "test operation failed")]
    [InlineData("""{"a":1}""", """[{"op":"test","path":"/b/c","value":null}]""", 422, "doc is missing path")]
    [InlineData("""{"a":[1,2]}""", """[{"op":"test","path":"/a","value":[2,1]}]""", 422, "test operation failed")]
    public void Bad_patches_are_refused(string document, string patch, int status, string message)
    {
        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(Parse(document), Parse(patch)));
        Assert.Equal(status, error.StatusCode);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void More_operations_than_kube_apiserver_allows_is_413()
    {
        var operations = new JsonArray();
        for (var i = 0; i <= JsonPatch.MaxOperations; i++)
        {
            operations.Add(new JsonObject { ["op"] = "test", ["path"] = "/a", ["value"] = 1 });
        }

        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(Parse("""{"a":1}"""), operations));
        Assert.Equal(413, error.StatusCode);
        Assert.Equal("RequestEntityTooLarge", error.Reason);
        Assert.Equal(413, error.ToApiException().Code);

        operations.RemoveAt(0);
        Equal("""{"a":1}""", JsonPatch.Apply(Parse("""{"a":1}"""), operations));
    }
}
