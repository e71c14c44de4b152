using System.Text.Json.Nodes;
using EdgeCloud.Kube.CustomResources;

namespace EdgeCloud.Kube.Tests.CustomResources;

public sealed class CustomResourceJsonPathTests
{
    private static readonly JsonObject Object = JsonNode.Parse("""
    {"metadata":{"labels":{"app.kubernetes.io/name":"web"}},
     "spec":{"replicas":2,"ports":[{"name":"http","port":80},{"name":"https","port":443}],"flag":null},
     "status":{"conditions":[{"type":"Ready","status":"True","ok":true},{"type":"Synced","status":"False","ok":false}]}}
    """)!.AsObject();

    [Theory]
    [InlineData(".spec.replicas", "[2]")]
    [InlineData("spec.replicas", "[2]")]
    [InlineData("{.spec.replicas}", "[2]")]
    [InlineData("$.spec.replicas", "[2]")]
    [InlineData(".spec.ports[0].port", "[80]")]
    [InlineData(".spec.ports[-1].name", "[\"https\"]")]
    [InlineData(".spec.ports[5].name", "[]")]
    [InlineData(".spec.ports[*].port", "[80,443]")]
    [InlineData(".spec.ports.*.port", "[80,443]")]
    [InlineData(".spec.missing.deeper", "[]")]
    [InlineData(".spec.flag", "[null]")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "[\"True\"]")]
    [InlineData(".status.conditions[?(@.type=='Synced')].status", "[\"False\"]")]
    [InlineData(".status.conditions[?(@.type!=\"Ready\")].type", "[\"Synced\"]")]
    [InlineData(".status.conditions[?(@.ok)].type", "[\"Ready\"]")]
    [InlineData(".spec.ports[?(@.port>100)].name", "[\"https\"]")]
    [InlineData(".spec.ports[?(@.port<=80)].name", "[\"http\"]")]
    [InlineData(".metadata.labels['app.kubernetes.io/name']", "[\"web\"]")]
    [InlineData(".metadata.labels.app\\.kubernetes\\.io/name", "[\"web\"]")]
    public void Selects_values(string path, string expected)
    {
        var selected = CustomResourceJsonPath.Parse(path).Select(Object);
        Assert.Equal(expected, new JsonArray([.. selected.Select(n => n?.DeepClone())]).ToJsonString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("..spec")]
    [InlineData(".spec.ports[0:1]")]
    [InlineData(".spec.ports[?(length(@) > 1)]")]
    [InlineData(".spec.ports[0")]
    [InlineData(".spec..replicas")]
    public void Refuses_what_it_cannot_evaluate(string path)
    {
        Assert.False(CustomResourceJsonPath.TryParse(path, out var parsed, out var error));
        Assert.Null(parsed);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Writes_a_field_path_creating_objects()
    {
        var obj = new JsonObject { ["spec"] = new JsonObject() };
        Assert.True(CustomResourceJsonPath.Parse(".spec.scaling.replicas").TrySet(obj, 5));
        Assert.Equal(5, obj["spec"]!["scaling"]!["replicas"]!.GetValue<int>());

        Assert.False(CustomResourceJsonPath.Parse(".spec.ports[0].port").TrySet(obj, 1));
        var scalar = new JsonObject { ["spec"] = 3 };
        Assert.False(CustomResourceJsonPath.Parse(".spec.replicas").TrySet(scalar, 1));
    }
}
