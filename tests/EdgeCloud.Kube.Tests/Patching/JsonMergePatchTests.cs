using EdgeCloud.Kube.Patching;
using static EdgeCloud.Kube.Tests.Patching.JsonAssert;

namespace EdgeCloud.Kube.Tests.Patching;

public class JsonMergePatchTests
{
    // The examples of RFC 7386 appendix A.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"a":"foo"}""", "null", "null")]
    [InlineData("""{"a":"foo"}""", "\"bar\"", "\"bar\"")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void Rfc_7386_examples(string original, string patch, string expected) =>
        Equal(expected, JsonMergePatch.Apply(Parse(original), Parse(patch)));

    [Fact]
    public void Labels_are_merged_and_deleted_without_touching_the_rest_of_the_object()
    {
        var original = Object("""{"metadata":{"name":"web","labels":{"app":"web","tier":"fe"}},"spec":{"replicas":1}}""");
        var patch = Object("""{"metadata":{"labels":{"tier":null,"env":"prod"}}}""");

        var result = JsonMergePatch.Apply(original, patch);

        Equal("""{"metadata":{"name":"web","labels":{"app":"web","env":"prod"}},"spec":{"replicas":1}}""", result);
    }

    [Fact]
    public void Inputs_are_not_changed_and_the_result_shares_no_nodes_with_them()
    {
        var original = Object("""{"a":{"b":1},"keep":[1,2]}""");
        var patch = Object("""{"a":{"c":{"d":2}},"list":[3]}""");
        var originalText = original.ToJsonString();
        var patchText = patch.ToJsonString();

        var result = (System.Text.Json.Nodes.JsonObject)JsonMergePatch.Apply(original, patch)!;
        result["a"]!["c"]!["d"] = 5;
        result["list"]!.AsArray().Add(4);
        result["keep"]!.AsArray().Add(3);

        Assert.Equal(originalText, original.ToJsonString());
        Assert.Equal(patchText, patch.ToJsonString());
    }
}
