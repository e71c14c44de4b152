using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Tests.Patching;

internal static class JsonAssert
{
    public static JsonNode? Parse(string json) => JsonNode.Parse(json);

    public static JsonObject Object(string json) => (JsonObject)JsonNode.Parse(json)!;

    /// <summary>Structural equality; object member order does not matter, array order does.</summary>
    public static void Equal(string expected, JsonNode? actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        Assert.True(JsonNode.DeepEquals(expectedNode, actual),
            $"expected {expectedNode?.ToJsonString() ?? "null"}\n  actual {actual?.ToJsonString() ?? "null"}");
    }
}
