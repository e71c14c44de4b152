using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Controllers.GarbageCollection;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Tests.GarbageCollection;

public sealed class GarbageCollectorTests
{
    private static IReadOnlyList<IClusterController> Loops() => [new GarbageCollector()];

    [Fact]
    public async Task Foreground_owner_waits_only_for_dependents_that_block_its_deletion()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops);
        var owner = await harness.CreateAsync(ConfigMapKind.Definition, Map("owner"));
        await harness.CreateAsync(ConfigMapKind.Definition, Map("blocking", Owner(owner, block: true), finalizer: "example.com/hold"));
        await harness.CreateAsync(ConfigMapKind.Definition, Map("loose", Owner(owner, block: false), finalizer: "example.com/hold"));

        // As DELETE with propagationPolicy=Foreground marks the owner.
        await harness.UpdateAsync(ConfigMapKind.Definition, "default", "owner", static o =>
        {
            o["metadata"]!["finalizers"] = new JsonArray(GarbageCollector.ForegroundFinalizer);
            o["metadata"]!["deletionTimestamp"] = "2026-12-01T12:00:00Z";
        });
        await harness.WaitForAsync(ConfigMapKind.Definition, "default", "blocking", static d => d?.Metadata()["deletionTimestamp"] is not null, "the blocking dependent marked");
        await harness.WaitForAsync(ConfigMapKind.Definition, "default", "loose", static d => d?.Metadata()["deletionTimestamp"] is not null, "the loose dependent marked");
        await harness.SettleAsync();
        Assert.NotNull(await harness.GetAsync(ConfigMapKind.Definition, "default", "owner"));

        // The blocking dependent's own finalizer is done: it goes, and so does the owner, though "loose" remains.
        var blocking = (await harness.GetAsync(ConfigMapKind.Definition, "default", "blocking"))!;
        await harness.Objects.DeleteAtAsync(ControllerHarness.Cluster, ConfigMapKind.Definition, "default", "blocking", long.Parse(blocking.Metadata().GetString("resourceVersion")!, CultureInfo.InvariantCulture), CancellationToken.None);
        await harness.WaitForAsync(ConfigMapKind.Definition, "default", "owner", static o => o is null, "the owner gone");
        Assert.NotNull(await harness.GetAsync(ConfigMapKind.Definition, "default", "loose"));
    }

    [Fact]
    public async Task Orphaning_owner_leaves_its_dependents_without_the_reference_then_goes()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops);
        var owner = await harness.CreateAsync(ConfigMapKind.Definition, Map("owner"));
        var other = await harness.CreateAsync(ConfigMapKind.Definition, Map("other-owner"));
        var both = Owner(owner, block: true);
        both.Add(Owner(other, block: false)[0]!.DeepClone());
        await harness.CreateAsync(ConfigMapKind.Definition, Map("dependent", both));
        await harness.UpdateAsync(ConfigMapKind.Definition, "default", "owner", static o =>
        {
            o["metadata"]!["finalizers"] = new JsonArray(GarbageCollector.OrphanFinalizer);
            o["metadata"]!["deletionTimestamp"] = "2026-12-01T12:00:00Z";
        });
        await harness.WaitForAsync(ConfigMapKind.Definition, "default", "owner", static o => o is null, "the orphaning owner gone");
        var dependent = (await harness.GetAsync(ConfigMapKind.Definition, "default", "dependent"))!;
        var references = dependent.Metadata()["ownerReferences"] as JsonArray;
        Assert.Equal("other-owner", Assert.Single(references!)!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dependent_of_an_owner_that_never_existed_is_collected_but_one_with_a_live_owner_keeps_it()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops);
        var owner = await harness.CreateAsync(ConfigMapKind.Definition, Map("owner"));
        var mixed = Owner(owner, block: false);
        mixed.Add(Owner("no-such-uid", "ghost", block: false)[0]!.DeepClone());
        await harness.CreateAsync(ConfigMapKind.Definition, Map("mixed", mixed));
        await harness.CreateAsync(ConfigMapKind.Definition, Map("dangling", Owner("no-such-uid", "ghost", block: false)));

        await harness.WaitForAsync(ConfigMapKind.Definition, "default", "dangling", static d => d is null, "the dangling dependent collected");
        var kept = await harness.WaitForAsync(ConfigMapKind.Definition, "default", "mixed", static d => (d?.Metadata()["ownerReferences"] as JsonArray)?.Count == 1, "the dangling reference dropped");
        Assert.Equal("owner", kept.Metadata()["ownerReferences"]![0]!["name"]!.GetValue<string>());
    }

    private static JsonArray Owner(JsonObject owner, bool block) => Owner(owner.Metadata().GetString("uid")!, owner.Metadata().GetString("name")!, block);

    private static JsonArray Owner(string uid, string name, bool block) =>
        new(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = name, ["uid"] = uid, ["blockOwnerDeletion"] = block });

    private static JsonObject Map(string name, JsonArray? owners = null, string? finalizer = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = "default" };
        if (owners is not null)
        {
            metadata["ownerReferences"] = owners;
        }

        if (finalizer is not null)
        {
            metadata["finalizers"] = new JsonArray(finalizer);
        }

        return new JsonObject { ["metadata"] = metadata, ["data"] = new JsonObject { ["k"] = "v" } };
    }
}
