using System.Text.Json.Nodes;
using EdgeCloud.Kube.Apply;
using EdgeCloud.Kube.Kinds;

namespace EdgeCloud.Kube.Tests.Apply;

public class ManagedFieldsUpdateTests
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);

    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static readonly JsonObject Created = ManagedFields.Update(null, Obj("""
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "labels": {"app": "x"}}, "data": {"a": "1", "b": "2"}}
        """), ConfigMapKind.Definition.Schema, "kubectl-create", "v1", T0);

    [Fact]
    public void Create_gives_every_field_set_to_the_creator()
    {
        var entry = Assert.Single(ManagedFields.Read(Created));

        Assert.Equal(("kubectl-create", ManagedFieldsOperation.Update, "v1", (DateTimeOffset?)T0), (entry.Manager, entry.Operation, entry.ApiVersion, entry.Time));
        var expected = """{"f:data":{".":{},"f:a":{},"f:b":{}},"f:metadata":{"f:labels":{".":{},"f:app":{}}}}""";
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), entry.Fields.ToFieldsV1()), entry.Fields.ToString());
    }

    [Fact]
    public void An_update_moves_changed_fields_and_drops_removed_ones()
    {
        var edited = (JsonObject)Created.DeepClone();
        edited["data"]!["a"] = "changed";
        ((JsonObject)edited["data"]!).Remove("b");

        var updated = ManagedFields.Update(Created, edited, ConfigMapKind.Definition.Schema, "kubectl-edit", "v1", T0.AddMinutes(1));

        var creator = ManagedFields.Read(updated).Single(e => e.Manager == "kubectl-create");
        var editor = ManagedFields.Read(updated).Single(e => e.Manager == "kubectl-edit");
        Assert.False(creator.Fields.Has(FieldPath.Of("data", "a")));
        Assert.False(creator.Fields.Has(FieldPath.Of("data", "b")));
        Assert.True(creator.Fields.Has(FieldPath.Of("metadata", "labels", "app")));
        Assert.Equal(new FieldSet([FieldPath.Of("data", "a")]), editor.Fields);
        Assert.Equal(T0.AddMinutes(1), editor.Time);
    }

    [Fact]
    public void A_write_that_changes_nothing_adds_no_entry()
    {
        var same = ManagedFields.Update(Created, (JsonObject)Created.DeepClone(), ConfigMapKind.Definition.Schema, "other", "v1", T0.AddHours(1));

        Assert.True(JsonNode.DeepEquals(Created, same));
    }

    [Fact]
    public void Managed_fields_sent_as_a_single_empty_entry_are_cleared()
    {
        var reset = (JsonObject)Created.DeepClone();
        reset["metadata"]!["managedFields"] = new JsonArray(new JsonObject());

        var updated = ManagedFields.Update(Created, reset, ConfigMapKind.Definition.Schema, "kubectl", "v1", T0);

        Assert.Empty(ManagedFields.Read(updated));
        Assert.Null(updated["metadata"]!["managedFields"]);
    }

    [Fact]
    public void Managed_fields_left_out_of_an_update_are_kept()
    {
        var sent = (JsonObject)Created.DeepClone();
        ((JsonObject)sent["metadata"]!).Remove("managedFields");
        sent["data"]!["c"] = "3";

        var updated = ManagedFields.Update(Created, sent, ConfigMapKind.Definition.Schema, "kubectl", "v1", T0);

        // Same second: upstream sorts by manager name next.
        Assert.Equal(["kubectl", "kubectl-create"], ManagedFields.Read(updated).Select(e => e.Manager));
    }

    [Theory]
    [InlineData("kubectl/v1.30.0 (linux/amd64) kubernetes/abc", "kubectl")]
    [InlineData("Go-http-client/1.1", "Go-http-client")]
    [InlineData("", "")]
    [InlineData("my\ttool/1", "mytool")]
    public void Default_manager_is_the_user_agent_before_the_first_slash(string userAgent, string expected) =>
        Assert.Equal(expected, FieldManagerName.Default(userAgent));

    [Fact]
    public void Default_manager_is_cut_to_128_bytes() =>
        Assert.Equal(128, FieldManagerName.Default(new string('a', 200)).Length);

    [Fact]
    public void Field_manager_validation_matches_upstream_messages()
    {
        Assert.Null(FieldManagerName.Validate("kubectl-client-side-apply"));
        Assert.Equal("fieldManager: Too long: may not be more than 128 bytes", FieldManagerName.Validate(new string('a', 129)));
        Assert.Equal("fieldManager: Invalid value: \"a\\x01\": invalid character U+0001 (at index 1)", FieldManagerName.Validate("a\u0001"));
    }
}
