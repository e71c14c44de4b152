using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Workloads;
using EdgeCloud.Kube.Kinds;

namespace EdgeCloud.Controllers.Tests.Workloads;

public sealed class WorkloadBasicsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("25%", 10, true, 3)]
    [InlineData("25%", 10, false, 2)]
    [InlineData("100%", 3, false, 3)]
    [InlineData("0%", 7, true, 0)]
    [InlineData("4", 10, true, 4)]
    public void Percentages_round_as_the_rule_says(string value, int total, bool roundUp, int expected) =>
        Assert.Equal(expected, IntOrPercent.Resolve(JsonValue.Create(value), total, roundUp, fallback: -1));

    [Fact]
    public void Plain_numbers_and_absent_values()
    {
        Assert.Equal(2, IntOrPercent.Resolve(JsonValue.Create(2), 10, roundUp: false, fallback: 9));
        Assert.Equal(9, IntOrPercent.Resolve(null, 10, roundUp: false, fallback: 9));
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"-5%\"")]
    [InlineData("true")]
    [InlineData("[1]")]
    public void Bad_values_are_refused_with_the_accepted_forms(string json)
    {
        var error = Assert.Throws<FormatException>(() => IntOrPercent.Resolve(JsonNode.Parse(json), 10, roundUp: true, fallback: 0));
        Assert.Contains("percentage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Availability_waits_for_min_ready_seconds()
    {
        var pod = Pod("Running", ready: true, readySince: Now.AddSeconds(-5));
        Assert.True(PodConditions.IsReady(pod));
        Assert.True(PodConditions.IsAvailable(pod, 0, Now));
        Assert.True(PodConditions.IsAvailable(pod, 5, Now));
        Assert.False(PodConditions.IsAvailable(pod, 10, Now));
        Assert.Equal(Now.AddSeconds(5), PodConditions.AvailableAt(pod, 10, Now));
    }

    [Fact]
    public void Pods_not_ready_finished_or_terminating()
    {
        var notReady = Pod("Running", ready: false, readySince: Now);
        Assert.False(PodConditions.IsReady(notReady));
        Assert.False(PodConditions.IsAvailable(notReady, 0, Now));
        Assert.True(PodConditions.IsActive(notReady));
        Assert.False(PodConditions.IsActive(Pod("Succeeded", ready: false, readySince: Now)));
        Assert.False(PodConditions.IsActive(Pod("Failed", ready: false, readySince: Now)));
        var terminating = Pod("Running", ready: true, readySince: Now);
        terminating["metadata"]!["deletionTimestamp"] = "2026-12-01T12:00:00Z";
        Assert.False(PodConditions.IsActive(terminating));
        Assert.Equal("Pending", PodConditions.Phase(new JsonObject()));
    }

    [Fact]
    public void Controller_reference_is_found_and_built()
    {
        var owner = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "web", ["uid"] = "u-1" } };
        var reference = ControllerRefs.For(ReplicaSetKind.Definition, owner);
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["ownerReferences"] = new JsonArray(
                    new JsonObject { ["uid"] = "other", ["controller"] = false },
                    reference),
            },
        };
        Assert.Equal("u-1", ControllerRefs.ControllerUid(pod));
        Assert.Equal("apps/v1", reference["apiVersion"]!.GetValue<string>());
        Assert.Equal("ReplicaSet", reference["kind"]!.GetValue<string>());
        Assert.True(reference["blockOwnerDeletion"]!.GetValue<bool>());
        Assert.Null(ControllerRefs.ControllerUid(new JsonObject()));
    }

    [Fact]
    public void Template_hash_ignores_property_order_and_its_own_label()
    {
        var a = JsonNode.Parse("""{"metadata":{"labels":{"app":"web","tier":"f"}},"spec":{"containers":[{"name":"c","image":"nginx:1"}]}}""")!.AsObject();
        var b = JsonNode.Parse("""{"spec":{"containers":[{"image":"nginx:1","name":"c"}]},"metadata":{"labels":{"tier":"f","app":"web","pod-template-hash":"zzz"}}}""")!.AsObject();
        var changed = JsonNode.Parse("""{"metadata":{"labels":{"app":"web","tier":"f"}},"spec":{"containers":[{"name":"c","image":"nginx:2"}]}}""")!.AsObject();
        var hash = PodTemplateHash.Compute(a, null);
        Assert.Equal(hash, PodTemplateHash.Compute(b, null));
        Assert.NotEqual(hash, PodTemplateHash.Compute(changed, null));
        Assert.NotEqual(hash, PodTemplateHash.Compute(a, 1));
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]{1,10}$", hash);
    }

    private static JsonObject Pod(string phase, bool ready, DateTimeOffset readySince) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "p" },
        ["status"] = new JsonObject
        {
            ["phase"] = phase,
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready",
                ["status"] = ready ? "True" : "False",
                ["lastTransitionTime"] = readySince.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            }),
        },
    };
}
