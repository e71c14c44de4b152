using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Scheduling;
using EdgeCloud.Controllers.Tests.Scheduling;
using EdgeCloud.Controllers.Workloads;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Tests.Workloads;

public sealed class ReplicaSetControllerTests
{
    private static IReadOnlyList<IClusterController> Loops() => [new ReplicaSetController(), new SchedulerController()];

    [Fact]
    public async Task Replica_set_creates_its_pods_which_get_bound_and_scales_down()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops);
        await harness.CreateAsync(NodeKind.Definition, SchedulerControllerTests.Node("a", cpu: "4"));
        await harness.CreateAsync(ReplicaSetKind.Definition, ReplicaSet("web", 3));

        var pods = await harness.WaitForListAsync(PodSchemas.Pod, "default", static list => list.Count == 3 && list.All(static p => p["spec"]?["nodeName"] is not null), "3 pods bound");
        Assert.All(pods, static p =>
        {
            Assert.StartsWith("web-", p.Metadata().GetString("name"), StringComparison.Ordinal);
            Assert.Equal("web", p.Metadata()["labels"]!["app"]!.GetValue<string>());
            Assert.Equal("ReplicaSet", p.Metadata()["ownerReferences"]![0]!["kind"]!.GetValue<string>());
        });
        await harness.WaitForAsync(ReplicaSetKind.Definition, "default", "web", static rs => rs?["status"]?["replicas"]?.GetValue<int>() == 3, "status.replicas 3");

        await harness.UpdateAsync(ReplicaSetKind.Definition, "default", "web", static rs => rs["spec"]!["replicas"] = 1);
        // The extra pods are bound, so they go gracefully: marked for deletion, for their node to stop.
        await harness.WaitForListAsync(PodSchemas.Pod, "default", static list => list.Count(static p => p.Metadata()["deletionTimestamp"] is null) == 1, "2 pods marked for deletion");
        await harness.WaitForAsync(ReplicaSetKind.Definition, "default", "web", static rs => rs?["status"]?["replicas"]?.GetValue<int>() == 1, "status.replicas 1");
    }

    [Fact]
    public async Task Deleted_pod_is_replaced()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops);
        await harness.CreateAsync(ReplicaSetKind.Definition, ReplicaSet("web", 2));
        var pods = await harness.WaitForListAsync(PodSchemas.Pod, "default", static list => list.Count == 2, "2 pods");
        var victim = pods[0];
        // The scheduler may bind it meanwhile (a newer resourceVersion): delete whatever version is current.
        while (await harness.GetAsync(PodSchemas.Pod, "default", victim.Metadata().GetString("name")!) is { } current
               && !(await harness.Objects.DeleteAtAsync(ControllerHarness.Cluster, PodSchemas.Pod, "default", victim.Metadata().GetString("name")!, long.Parse(current.Metadata().GetString("resourceVersion")!, System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None)).Deleted)
        {
        }

        var after = await harness.WaitForListAsync(PodSchemas.Pod, "default", list => list.Count == 2 && list.All(p => p.Metadata().GetString("name") != victim.Metadata().GetString("name")), "a replacement pod");
        Assert.Equal(2, after.Count);
    }

    internal static JsonObject ReplicaSet(string name, int replicas) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "nginx:1.27" }) },
            },
        },
    };
}
