using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Kube.Validation;
using EdgeCloud.Store;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Kube.Tests.Kinds;

/// <summary>The Job strategy's generated selector (create) and its immutability (update).</summary>
public sealed class JobSelectorTests : IAsyncLifetime
{
    private const string Cluster = "c1";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edgecloud-jobsel-" + Guid.NewGuid().ToString("N")[..12]);
    private RevisionedStore _store = null!;
    private ResourceStore _objects = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = await RevisionedStore.OpenSqliteAsync(Path.Combine(_directory, "state.db"), SqliteSynchronous.Normal);
        await _store.CreateClusterAsync(Cluster);
        _objects = new ResourceStore(_store, new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)));
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static JsonObject Job(string? name = "pi", JsonObject? selector = null, JsonObject? labels = null, bool? manualSelector = null)
    {
        var spec = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["metadata"] = labels is null ? new JsonObject() : new JsonObject { ["labels"] = labels },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "pi", ["image"] = "perl:5.34" }),
                    ["restartPolicy"] = "Never",
                },
            },
        };
        if (selector is not null)
        {
            spec["selector"] = selector;
        }

        if (manualSelector is { } manual)
        {
            spec["manualSelector"] = manual;
        }

        var metadata = name is null ? new JsonObject { ["generateName"] = "pi-" } : new JsonObject { ["name"] = name };
        metadata["namespace"] = "default";
        return new JsonObject { ["apiVersion"] = "batch/v1", ["kind"] = "Job", ["metadata"] = metadata, ["spec"] = spec };
    }

    private async Task<JsonObject> CreateAsync(JsonObject job, bool dryRun = false)
    {
        ObjectAdmission.Prepare(JobKind.Definition, job, FieldValidation.Strict);
        return await _objects.CreateAsync(Cluster, JobKind.Definition, "default", job, dryRun, CancellationToken.None);
    }

    private static string? Label(JsonObject job, string key) => (job["spec"]?["template"]?["metadata"]?["labels"]?[key] as JsonValue)?.ToString();

    [Fact]
    public async Task Create_generates_a_selector_on_the_uid_and_labels_the_template()
    {
        var created = await CreateAsync(Job(labels: new JsonObject { ["app"] = "pi" }));
        var uid = created.Metadata().GetString("uid");
        Assert.False(string.IsNullOrEmpty(uid));
        var matchLabels = created["spec"]!["selector"]!["matchLabels"]!.AsObject();
        Assert.Equal([JobKind.ControllerUidLabel], matchLabels.Select(p => p.Key));
        Assert.Equal(uid, matchLabels[JobKind.ControllerUidLabel]!.GetValue<string>());
        Assert.Equal(uid, Label(created, "batch.kubernetes.io/controller-uid"));
        Assert.Equal(uid, Label(created, "controller-uid"));
        Assert.Equal("pi", Label(created, "batch.kubernetes.io/job-name"));
        Assert.Equal("pi", Label(created, "job-name"));
        Assert.Equal("pi", Label(created, "app"));

        var stored = await _objects.GetAsync(Cluster, JobKind.Definition, "default", "pi", CancellationToken.None);
        Assert.True(JsonNode.DeepEquals(created["spec"], stored["spec"]));
    }

    [Fact]
    public async Task Two_jobs_get_different_selectors()
    {
        var first = await CreateAsync(Job("a"));
        var second = await CreateAsync(Job("b"));
        Assert.NotEqual(first["spec"]!["selector"]!.ToJsonString(), second["spec"]!["selector"]!.ToJsonString());
    }

    [Fact]
    public async Task A_generated_name_is_the_job_name_label()
    {
        var created = await CreateAsync(Job(name: null));
        var name = created.Metadata().GetString("name")!;
        Assert.StartsWith("pi-", name, StringComparison.Ordinal);
        Assert.Equal(name, Label(created, "batch.kubernetes.io/job-name"));
        Assert.Equal(name, Label(created, "job-name"));
    }

    [Fact]
    public async Task Dry_run_shows_the_generated_selector_and_stores_nothing()
    {
        var created = await CreateAsync(Job(), dryRun: true);
        Assert.Equal(created.Metadata().GetString("uid"), created["spec"]!["selector"]!["matchLabels"]![JobKind.ControllerUidLabel]!.GetValue<string>());
        Assert.Null(await _objects.TryGetAsync(Cluster, JobKind.Definition, "default", "pi", CancellationToken.None));
    }

    [Fact]
    public async Task A_user_selector_that_also_matches_the_template_is_kept_and_narrowed_to_the_uid()
    {
        var created = await CreateAsync(Job(selector: new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "pi" } }, labels: new JsonObject { ["app"] = "pi" }));
        var matchLabels = created["spec"]!["selector"]!["matchLabels"]!.AsObject();
        Assert.Equal("pi", matchLabels["app"]!.GetValue<string>());
        Assert.Equal(created.Metadata().GetString("uid"), matchLabels[JobKind.ControllerUidLabel]!.GetValue<string>());
    }

    [Fact]
    public async Task A_user_selector_without_manualSelector_that_does_not_match_is_422()
    {
        var refused = await Assert.ThrowsAsync<KubeApiException>(() => CreateAsync(Job(selector: new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "other" } }, labels: new JsonObject { ["app"] = "pi" })));
        Assert.Equal(422, refused.Code);
        Assert.Contains(refused.Details!.Causes, c => c.Field == "spec.template.metadata.labels" && c.Message.Contains("`selector` does not match template `labels`", StringComparison.Ordinal));
        Assert.Null(await _objects.TryGetAsync(Cluster, JobKind.Definition, "default", "pi", CancellationToken.None));
    }

    [Fact]
    public async Task A_user_controller_uid_label_that_is_not_the_uid_is_422()
    {
        var refused = await Assert.ThrowsAsync<KubeApiException>(() => CreateAsync(Job(labels: new JsonObject { ["controller-uid"] = "not-mine" })));
        Assert.Equal(422, refused.Code);
        Assert.Contains(refused.Details!.Causes, c => c.Field == "spec.template.metadata.labels[controller-uid]" && c.Message.StartsWith("Invalid value: \"not-mine\": must be '", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_manual_selector_is_kept_as_given_and_the_template_is_not_labelled()
    {
        var created = await CreateAsync(Job(selector: new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "pi" } }, labels: new JsonObject { ["app"] = "pi" }, manualSelector: true));
        Assert.Equal("""{"matchLabels":{"app":"pi"}}""", created["spec"]!["selector"]!.ToJsonString());
        Assert.Null(Label(created, "controller-uid"));
        Assert.Null(Label(created, "batch.kubernetes.io/job-name"));
    }

    [Fact]
    public async Task A_manual_selector_is_required_and_must_match()
    {
        var missing = await Assert.ThrowsAsync<KubeApiException>(() => CreateAsync(Job(labels: new JsonObject { ["app"] = "pi" }, manualSelector: true)));
        Assert.Contains(missing.Details!.Causes, c => c.Field == "spec.selector" && c.Reason == "FieldValueRequired");
        var wrong = await Assert.ThrowsAsync<KubeApiException>(() => CreateAsync(Job(selector: new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "x" } }, labels: new JsonObject { ["app"] = "pi" }, manualSelector: true)));
        Assert.Equal(422, wrong.Code);
        Assert.Contains(wrong.Details!.Causes, c => c.Field == "spec.template.metadata.labels");
    }

    [Fact]
    public async Task Selector_and_template_labels_are_immutable_but_other_fields_may_change()
    {
        var created = await CreateAsync(Job(labels: new JsonObject { ["app"] = "pi" }));
        var selector = created.DeepClone().AsObject();
        selector["spec"]!["selector"]!["matchLabels"]!["extra"] = "1";
        var refused = Assert.Throws<KubeApiException>(() => UpdateRules.MainResource(JobKind.Definition, created, selector));
        Assert.Equal(422, refused.Code);
        Assert.Equal("spec.selector", Assert.Single(refused.Details!.Causes).Field);
        Assert.EndsWith("field is immutable", refused.Details.Causes[0].Message, StringComparison.Ordinal);

        var labels = created.DeepClone().AsObject();
        labels["spec"]!["template"]!["metadata"]!["labels"]!["app"] = "changed";
        Assert.Equal("spec.template.metadata.labels", Assert.Single(Assert.Throws<KubeApiException>(() => UpdateRules.MainResource(JobKind.Definition, created, labels)).Details!.Causes).Field);

        var suspend = created.DeepClone().AsObject();
        suspend["spec"]!["suspend"] = true;
        var result = UpdateRules.MainResource(JobKind.Definition, created, suspend);
        Assert.True(result["spec"]!["suspend"]!.GetValue<bool>());
    }
}
