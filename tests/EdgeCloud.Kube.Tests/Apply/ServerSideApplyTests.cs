using System.Text.Json.Nodes;
using EdgeCloud.Kube.Apply;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Tests.Apply;

public class ServerSideApplyTests
{
    private static readonly SchemaNode Schema = DeploymentKind.Definition.Schema;
    private static readonly FieldSet MainResource = ManagedFields.IgnoredFieldsFor(DeploymentKind.Definition, null);
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(5);

    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static JsonObject Config(string spec, string labels = """{"app": "web"}""") => Obj($$"""
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labels": {{labels}}}, "spec": {{spec}}}
        """);

    private const string BaseSpec = """
        {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
         "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1"}]}}}
        """;

    private static JsonObject Apply(JsonObject? live, JsonObject config, string manager, bool force = false, DateTimeOffset? now = null) =>
        ServerSideApply.Apply(live, config, Schema, manager, force, now ?? T0, ignoredFields: MainResource);

    private static List<ManagedFieldsEntry> Entries(JsonObject obj) => [.. ManagedFields.Read(obj)];

    private static ManagedFieldsEntry Entry(JsonObject obj, string manager) => Entries(obj).Single(e => e.Manager == manager);

    private static readonly FieldPath Replicas = FieldPath.Of("spec", "replicas");

    private static FieldPath Container(string name, params string[] fields) =>
        new([PathElement.Field("spec"), PathElement.Field("template"), PathElement.Field("spec"), PathElement.Field("containers"),
             PathElement.Key([new("name", JsonValue.Create(name))]), .. fields.Select(PathElement.Field)]);

    [Fact]
    public void Apply_creates_the_object_and_records_the_applier()
    {
        var created = Apply(null, Config(BaseSpec), "mgr");

        Assert.Equal(2, created["spec"]!["replicas"]!.GetValue<int>());
        var entry = Assert.Single(Entries(created));
        Assert.Equal(("mgr", ManagedFieldsOperation.Apply, "apps/v1", (DateTimeOffset?)T0), (entry.Manager, entry.Operation, entry.ApiVersion, entry.Time));
        Assert.True(entry.Fields.Has(Replicas));
        Assert.True(entry.Fields.Has(Container("web")));
        Assert.True(entry.Fields.Has(Container("web", "image")));
        Assert.False(entry.Fields.Has(FieldPath.Of("metadata", "name")));
        var json = created["metadata"]!["managedFields"]![0]!;
        Assert.Equal("2024-05-01T10:00:00Z", json["time"]!.GetValue<string>());
        Assert.Equal("FieldsV1", json["fieldsType"]!.GetValue<string>());
        Assert.Equal("Apply", json["operation"]!.GetValue<string>());
    }

    [Fact]
    public void Reapplying_without_a_field_removes_it()
    {
        var live = Apply(null, Config(BaseSpec, """{"app": "web", "tier": "front"}"""), "mgr");

        var next = Apply(live, Config(BaseSpec.Replace("\"replicas\": 2, ", ""), """{"app": "web"}"""), "mgr", now: T1);

        Assert.Null(next["spec"]!["replicas"]);
        Assert.Null(next["metadata"]!["labels"]!["tier"]);
        Assert.Equal("web", next["metadata"]!["labels"]!["app"]!.GetValue<string>());
        Assert.False(Entry(next, "mgr").Fields.Has(Replicas));
        Assert.Equal(T1, Entry(next, "mgr").Time);
    }

    [Fact]
    public void A_field_another_manager_also_applies_survives_when_one_stops()
    {
        var live = Apply(null, Config(BaseSpec), "a");
        live = Apply(live, Config("""{"replicas": 2}"""), "b");

        Assert.True(Entry(live, "a").Fields.Has(Replicas));
        Assert.True(Entry(live, "b").Fields.Has(Replicas));

        var next = Apply(live, Config(BaseSpec.Replace("\"replicas\": 2, ", "")), "a");

        Assert.Equal(2, next["spec"]!["replicas"]!.GetValue<int>());
        Assert.False(Entry(next, "a").Fields.Has(Replicas));
        Assert.True(Entry(next, "b").Fields.Has(Replicas));
    }

    [Fact]
    public void Changing_a_field_an_updater_owns_is_a_conflict_with_upstreams_message()
    {
        var live = Apply(null, Config(BaseSpec), "mgr");
        var scaled = (JsonObject)live.DeepClone();
        scaled["spec"]!["replicas"] = 5;
        live = ManagedFields.Update(live, scaled, Schema, "kubectl-scale", "apps/v1", T1, ignoredFields: MainResource);

        var error = Assert.Throws<ApplyConflictException>(() => Apply(live, Config(BaseSpec), "mgr"));

        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-scale\" using apps/v1: .spec.replicas", error.Message);
        var conflict = Assert.Single(error.Conflicts);
        Assert.Equal(".spec.replicas", conflict.Field);
        Assert.Equal("conflict with \"kubectl-scale\" using apps/v1", conflict.Message);
        Assert.Equal("FieldManagerConflict", ApplyConflict.Reason);
    }

    [Fact]
    public void Several_conflicts_are_listed_by_owner()
    {
        var live = Apply(null, Config(BaseSpec), "mgr");
        var edited = (JsonObject)live.DeepClone();
        edited["spec"]!["replicas"] = 5;
        edited["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:2";
        live = ManagedFields.Update(live, edited, Schema, "kubectl-edit", "apps/v1", T1, ignoredFields: MainResource);

        var error = Assert.Throws<ApplyConflictException>(() => Apply(live, Config(BaseSpec), "mgr"));

        Assert.Equal(
            "Apply failed with 2 conflicts: conflicts with \"kubectl-edit\" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name=\"web\"].image",
            error.Message);
    }

    [Fact]
    public void Force_takes_ownership()
    {
        var live = Apply(null, Config(BaseSpec), "mgr");
        var scaled = (JsonObject)live.DeepClone();
        scaled["spec"]!["replicas"] = 5;
        live = ManagedFields.Update(live, scaled, Schema, "kubectl-scale", "apps/v1", T1, ignoredFields: MainResource);
        Assert.False(Entry(live, "mgr").Fields.Has(Replicas));

        var forced = Apply(live, Config(BaseSpec), "mgr", force: true);

        Assert.Equal(2, forced["spec"]!["replicas"]!.GetValue<int>());
        Assert.True(Entry(forced, "mgr").Fields.Has(Replicas));
        // kubectl-scale owned only replicas, so its entry is empty and dropped.
        Assert.DoesNotContain(Entries(forced), e => e.Manager == "kubectl-scale");
    }

    [Fact]
    public void Applying_the_same_value_shares_the_field_without_conflict()
    {
        var live = Apply(null, Config(BaseSpec), "mgr");
        var scaled = (JsonObject)live.DeepClone();
        scaled["spec"]!["replicas"] = 5;
        live = ManagedFields.Update(live, scaled, Schema, "kubectl-scale", "apps/v1", T1, ignoredFields: MainResource);

        var shared = Apply(live, Config(BaseSpec.Replace("\"replicas\": 2", "\"replicas\": 5")), "mgr");

        Assert.True(Entry(shared, "mgr").Fields.Has(Replicas));
        Assert.True(Entry(shared, "kubectl-scale").Fields.Has(Replicas));
    }

    [Fact]
    public void Containers_from_two_appliers_merge_by_name()
    {
        var live = Apply(null, Config(BaseSpec), "a");
        var sidecar = Config("""{"template": {"spec": {"containers": [{"name": "log", "image": "fluent"}]}}}""");

        var merged = Apply(live, sidecar, "b");

        var containers = merged["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["web", "log"], containers.Select(c => c!["name"]!.GetValue<string>()));
        Assert.True(Entry(merged, "a").Fields.Has(Container("web", "image")));
        Assert.True(Entry(merged, "b").Fields.Has(Container("log", "image")));
        Assert.False(Entry(merged, "b").Fields.Has(Container("web")));

        // b dropping its container removes only that one.
        var dropped = Apply(merged, Config("""{"template": {"spec": {"containers": []}}}"""), "b");
        Assert.Equal(["web"], dropped["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Atomic_lists_are_replaced_and_set_lists_merged()
    {
        var live = Apply(null, Config(BaseSpec.Replace("\"image\": \"nginx:1\"", "\"image\": \"nginx:1\", \"args\": [\"a\", \"b\"]")), "mgr");
        live["metadata"]!["finalizers"] = new JsonArray("x/one");
        live = ManagedFields.Update(Apply(null, Config(BaseSpec.Replace("\"image\": \"nginx:1\"", "\"image\": \"nginx:1\", \"args\": [\"a\", \"b\"]")), "mgr"), live, Schema, "ctrl", "apps/v1", T0, ignoredFields: MainResource);

        var config = Config(BaseSpec.Replace("\"image\": \"nginx:1\"", "\"image\": \"nginx:1\", \"args\": [\"c\"]"));
        config["metadata"]!["finalizers"] = new JsonArray("x/two");
        var next = Apply(live, config, "mgr");

        Assert.Equal(["c"], next["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["x/one", "x/two"], next["metadata"]!["finalizers"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public void Entries_are_one_per_manager_and_operation_and_a_noop_keeps_the_time()
    {
        var live = Apply(null, Config(BaseSpec), "mgr", now: T0);
        var labelled = (JsonObject)live.DeepClone();
        labelled["metadata"]!["labels"]!["team"] = "x";
        live = ManagedFields.Update(live, labelled, Schema, "mgr", "apps/v1", T1, ignoredFields: MainResource);

        var entries = Entries(live);
        Assert.Equal([("mgr", ManagedFieldsOperation.Apply), ("mgr", ManagedFieldsOperation.Update)], entries.Select(e => (e.Manager, e.Operation)));
        Assert.Equal(T1, entries[1].Time);

        var again = Apply(live, Config(BaseSpec), "mgr", now: T1.AddHours(1));
        Assert.True(JsonNode.DeepEquals(live, again));
        Assert.Equal(T0, Entries(again).Single(e => e.Operation == ManagedFieldsOperation.Apply).Time);
    }

    [Fact]
    public void First_apply_to_an_object_without_managed_fields_conflicts_with_before_first_apply()
    {
        var live = Config(BaseSpec);
        live["metadata"]!["uid"] = "u1";

        var error = Assert.Throws<ApplyConflictException>(() => Apply(live, Config(BaseSpec.Replace("\"replicas\": 2", "\"replicas\": 3")), "mgr"));

        Assert.Equal("Apply failed with 1 conflict: conflict with \"before-first-apply\" using apps/v1: .spec.replicas", error.Message);
    }

    [Fact]
    public void Status_is_neither_applied_nor_owned_through_the_main_resource()
    {
        var config = Config(BaseSpec);
        config["status"] = new JsonObject { ["replicas"] = 9 };

        var created = Apply(null, config, "mgr");

        Assert.Null(created["status"]);
        Assert.False(Entry(created, "mgr").Fields.Has(FieldPath.Of("status", "replicas")));
    }

    [Fact]
    public void Managed_fields_in_the_configuration_are_refused()
    {
        var config = Config(BaseSpec);
        config["metadata"]!["managedFields"] = new JsonArray();

        var error = Assert.Throws<InvalidApplyException>(() => Apply(null, config, "mgr"));
        Assert.Equal("metadata.managedFields must be nil", error.Message);
    }
}
