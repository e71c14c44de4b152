using System.Text.Json.Nodes;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Validation;

namespace EdgeCloud.Kube.Tests.Validation;

public sealed class SchemaValidatorTests
{
    private static readonly SchemaNode Schema = Schemas.Object(
        "test",
        ("name", Schemas.String()),
        ("count", Schemas.Int32() with { Minimum = 0 }),
        ("mode", Schemas.Enum(null, "Fast", "Slow")),
        ("when", Schemas.DateTime()),
        ("blob", Schemas.Bytes()),
        ("port", Schemas.IntOrString()),
        ("cpu", Schemas.Quantity()),
        ("items", Schemas.KeyedList(Schemas.Object(null, ("key", Schemas.String()), ("v", Schemas.String())).Require("key"), "key")),
        ("labels", Schemas.StringMap()),
        ("free", Schemas.Any())).Require("name");

    [Fact]
    public void A_valid_object_passes_untouched()
    {
        var obj = Parse("""{"name":"a","count":3,"mode":"Fast","when":"2024-01-02T03:04:05Z","blob":"aGk=","port":"http","cpu":"500m","items":[{"key":"x"}],"labels":{"a":"b"},"free":{"any":[1,{"x":null}]}}""");
        var before = obj.ToJsonString();
        var check = SchemaValidator.Check(obj, Schema);
        Assert.Empty(check.Errors);
        Assert.Empty(check.UnknownFields);
        Assert.Equal(before, obj.ToJsonString());
    }

    [Fact]
    public void Unknown_fields_are_reported_with_their_path_and_removed()
    {
        var obj = Parse("""{"name":"a","colour":"red","items":[{"key":"x","extra":1}]}""");
        var check = SchemaValidator.Check(obj, Schema);
        Assert.Equal(["colour", "items[0].extra"], check.UnknownFields);
        Assert.Null(obj["colour"]);
        Assert.Null(obj["items"]![0]!["extra"]);
    }

    [Theory]
    [InlineData("""{"count":1}""", "name", "FieldValueRequired")]
    [InlineData("""{"name":"a","count":"three"}""", "count", "FieldValueInvalid")]
    [InlineData("""{"name":"a","count":1.5}""", "count", "FieldValueInvalid")]
    [InlineData("""{"name":"a","count":-1}""", "count", "FieldValueInvalid")]
    [InlineData("""{"name":"a","count":4294967296}""", "count", "FieldValueInvalid")]
    [InlineData("""{"name":"a","mode":"Medium"}""", "mode", "FieldValueNotSupported")]
    [InlineData("""{"name":"a","when":"yesterday"}""", "when", "FieldValueInvalid")]
    [InlineData("""{"name":"a","blob":"not base64!"}""", "blob", "FieldValueInvalid")]
    [InlineData("""{"name":"a","port":true}""", "port", "FieldValueInvalid")]
    [InlineData("""{"name":"a","cpu":"lots"}""", "cpu", "FieldValueInvalid")]
    [InlineData("""{"name":"a","items":[{"key":"x"},{"key":"x"}]}""", "items[1]", "FieldValueDuplicate")]
    [InlineData("""{"name":"a","items":[{"v":"x"}]}""", "items[0].key", "FieldValueRequired")]
    [InlineData("""{"name":"a","labels":{"k":1}}""", "labels.k", "FieldValueInvalid")]
    [InlineData("""{"name":"a","items":{}}""", "items", "FieldValueInvalid")]
    public void Each_broken_rule_is_one_cause_at_its_field(string json, string field, string reason)
    {
        var check = SchemaValidator.Check(Parse(json), Schema);
        var cause = Assert.Single(check.Errors);
        Assert.Equal(field, cause.Field);
        Assert.Equal(reason, cause.Reason);
    }

    [Fact]
    public void Null_values_of_fields_that_are_not_nullable_are_dropped()
    {
        var obj = Parse("""{"name":"a","count":null}""");
        Assert.Empty(SchemaValidator.Check(obj, Schema).Errors);
        Assert.False(obj.ContainsKey("count"));
    }

    [Fact]
    public void Defaults_fill_absent_fields_where_the_parent_exists()
    {
        var deployment = Parse("""{"metadata":{"name":"d"},"spec":{"selector":{},"template":{"spec":{"containers":[{"name":"c","ports":[{"containerPort":80}]}]}}}}""");
        SchemaDefaults.Apply(deployment, DeploymentKind.Definition.Schema);
        Assert.Equal(1, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("RollingUpdate", deployment["spec"]!["strategy"]!["type"]!.GetValue<string>());
        Assert.Equal("TCP", deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["protocol"]!.GetValue<string>());
        Assert.Equal("Always", deployment["spec"]!["template"]!["spec"]!["restartPolicy"]!.GetValue<string>());
        Assert.Null(deployment["status"]);
        Assert.Empty(SchemaValidator.Check(deployment, DeploymentKind.Definition.Schema).Errors);
    }

    [Fact]
    public void Strict_mode_refuses_unknown_fields_and_warn_mode_reports_them()
    {
        var strict = Assert.Throws<Api.KubeApiException>(() => ObjectAdmission.Prepare(ConfigMapKind.Definition, Parse("""{"metadata":{"name":"c"},"colour":"red"}"""), FieldValidation.Strict));
        Assert.Equal(400, strict.Code);
        Assert.Equal("strict decoding error: unknown field \"colour\"", strict.Message);
        var warnings = ObjectAdmission.Prepare(ConfigMapKind.Definition, Parse("""{"metadata":{"name":"c"},"colour":"red"}"""), FieldValidation.Warn);
        Assert.Equal(["unknown field \"colour\""], warnings);
        Assert.Empty(ObjectAdmission.Prepare(ConfigMapKind.Definition, Parse("""{"metadata":{"name":"c"},"colour":"red"}"""), FieldValidation.Ignore));
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
