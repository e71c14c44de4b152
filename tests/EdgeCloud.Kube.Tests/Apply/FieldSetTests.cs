using System.Text.Json.Nodes;
using EdgeCloud.Kube.Apply;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Tests.Apply;

public class FieldSetTests
{
    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static readonly JsonObject Deployment = Obj("""
        {
          "apiVersion": "apps/v1", "kind": "Deployment",
          "metadata": {"name": "web", "namespace": "default", "uid": "u1", "resourceVersion": "7", "generation": 2,
                       "creationTimestamp": "2024-01-01T00:00:00Z", "labels": {"app": "web"}, "finalizers": ["a/b"]},
          "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
              "metadata": {"labels": {"app": "web"}},
              "spec": {"containers": [{"name": "web", "image": "nginx", "args": ["-v"],
                                       "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}
            }
          },
          "status": {"replicas": 3}
        }
        """);

    [Fact]
    public void Field_set_of_a_deployment_uses_keys_sets_and_atomic_leaves()
    {
        var set = ManagedFields.FieldsOf(Deployment, DeploymentKind.Definition.Schema, new FieldSet([FieldPath.Of("status")]));

        var expected = """
            {"f:metadata":{"f:finalizers":{"v:\"a/b\"":{}},"f:labels":{"f:app":{}}},
             "f:spec":{"f:replicas":{},"f:selector":{},
               "f:template":{"f:metadata":{"f:labels":{"f:app":{}}},
                 "f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:args":{},"f:image":{},"f:name":{},
                   "f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{},"f:protocol":{}}}}}}}}}
            """;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), set.ToFieldsV1()), set.ToString());
    }

    [Fact]
    public void Status_is_owned_when_the_kind_has_no_status_subresource_scope()
    {
        var set = ManagedFields.FieldsOf(Deployment, DeploymentKind.Definition.Schema);

        Assert.True(set.Has(FieldPath.Of("status", "replicas")));
        Assert.False(set.Has(FieldPath.Of("metadata", "name")));
        Assert.False(set.Has(FieldPath.Of("metadata", "resourceVersion")));
        Assert.False(set.Has(FieldPath.Of("apiVersion")));
    }

    [Fact]
    public void Ignored_fields_for_the_main_resource_and_status_subresource()
    {
        Assert.True(ManagedFields.IgnoredFieldsFor(DeploymentKind.Definition, null).Has(FieldPath.Of("status")));
        Assert.True(ManagedFields.IgnoredFieldsFor(DeploymentKind.Definition, "status").Has(FieldPath.Of("spec")));
    }

    [Fact]
    public void FieldsV1_round_trips()
    {
        const string fieldsV1 = """{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{}}},"f:finalizers":{"v:\"x\"":{}},"f:items":{"i:0":{}}}}""";

        var set = FieldSet.FromFieldsV1(JsonNode.Parse(fieldsV1));

        var written = set.ToFieldsV1();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(fieldsV1), written), written.ToJsonString());
        // "." comes first and field names before keys, as upstream writes them.
        Assert.Equal([".", "f:image"], ((JsonObject)written["f:spec"]!["f:containers"]!["k:{\"name\":\"web\"}"]!).Select(p => p.Key));
        Assert.Equal(["f:containers", "f:finalizers", "f:items"], ((JsonObject)written["f:spec"]!).Select(p => p.Key));
        Assert.True(set.Has(FieldPath.Of("metadata", "labels")));
        Assert.True(set.Has(new FieldPath([PathElement.Field("spec"), PathElement.Field("containers"),
            PathElement.Key([new("name", JsonValue.Create("web"))]), PathElement.Field("image")])));
        Assert.Equal(set, FieldSet.FromFieldsV1(set.ToFieldsV1()));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"f:a":1}""")]
    [InlineData("""{"x:a":{}}""")]
    [InlineData("""{"k:{bad":{}}""")]
    public void Invalid_fieldsV1_is_refused(string json) =>
        Assert.Throws<FormatException>(() => FieldSet.FromFieldsV1(JsonNode.Parse(json)));

    [Fact]
    public void Key_fields_are_sorted_and_numbers_normalized()
    {
        var a = PathElement.Key([new("protocol", JsonValue.Create("TCP")), new("containerPort", JsonValue.Create(80.0))]);
        var b = PathElement.Parse("""k:{"protocol":"TCP","containerPort":80}""");

        Assert.Equal(a, b);
        Assert.Equal("""k:{"containerPort":80,"protocol":"TCP"}""", a.FieldsV1Key);
        Assert.Equal("""[containerPort=80,protocol="TCP"]""", a.ToString());
    }

    [Fact]
    public void Set_operations()
    {
        var a = new FieldSet([FieldPath.Of("spec", "replicas"), FieldPath.Of("spec", "paused"), FieldPath.Of("spec")]);
        var b = new FieldSet([FieldPath.Of("spec", "paused"), FieldPath.Of("metadata", "labels", "x")]);

        Assert.Equal(new FieldSet([FieldPath.Of("spec", "replicas"), FieldPath.Of("spec", "paused"), FieldPath.Of("spec"), FieldPath.Of("metadata", "labels", "x")]), a.Union(b));
        Assert.Equal(new FieldSet([FieldPath.Of("spec", "replicas"), FieldPath.Of("spec")]), a.Difference(b));
        Assert.Equal(new FieldSet([FieldPath.Of("spec", "paused")]), a.Intersection(b));
        Assert.True(a.RecursiveDifference(new FieldSet([FieldPath.Of("spec")])).IsEmpty);
        Assert.False(a.Difference(new FieldSet([FieldPath.Of("spec")])).IsEmpty);
        Assert.True(new FieldSet([FieldPath.Root]).IsEmpty);
    }

    [Fact]
    public void Comparison_reports_changed_leaves_and_added_containers()
    {
        var before = Obj("""{"spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "a", "image": "x"}]}}}}""");
        var after = Obj("""{"spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}}}, "metadata": {"labels": {"k": "v"}}}""");

        var comparison = FieldComparison.Of(before, after, DeploymentKind.Definition.Schema);

        var b = PathElement.Key([new("name", JsonValue.Create("b"))]);
        var containers = new FieldPath([PathElement.Field("spec"), PathElement.Field("template"), PathElement.Field("spec"), PathElement.Field("containers")]);
        Assert.Equal(new FieldSet([FieldPath.Of("spec", "replicas")]), comparison.Modified);
        Assert.True(comparison.Added.Has(containers.Append(b)));
        Assert.True(comparison.Added.Has(containers.Append(b).Append(PathElement.Field("image"))));
        Assert.True(comparison.Added.Has(FieldPath.Of("metadata", "labels")));
        Assert.True(comparison.Added.Has(FieldPath.Of("metadata", "labels", "k")));
        Assert.True(comparison.Removed.IsEmpty);
        Assert.Equal(".spec.template.spec.containers[name=\"b\"].image", containers.Append(b).Append(PathElement.Field("image")).ToString());
    }

    [Fact]
    public void Unknown_schema_maps_are_granular_and_lists_atomic()
    {
        var schema = Schemas.Object(null, ("spec", Schemas.Any()));
        var set = StructuredFieldsOf(Obj("""{"spec": {"a": {"b": 1}, "list": [1, 2]}}"""), schema);

        Assert.True(set.Has(FieldPath.Of("spec", "a", "b")));
        Assert.True(set.Has(FieldPath.Of("spec", "a")));
        Assert.True(set.Has(FieldPath.Of("spec", "list")));
    }

    private static FieldSet StructuredFieldsOf(JsonObject obj, SchemaNode schema) => ManagedFields.FieldsOf(obj, schema);
}
