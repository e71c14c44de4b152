using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Scheduling;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Tests.Scheduling;

public sealed class SchedulerControllerTests
{
    private static IReadOnlyList<IClusterController> Loops() => [new SchedulerController()];

    [Fact]
    public async Task Pending_pods_are_bound_to_ready_nodes_with_room_and_spread()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops);
        await harness.CreateAsync(NodeKind.Definition, Node("a", cpu: "2"));
        await harness.CreateAsync(NodeKind.Definition, Node("b", cpu: "2"));
        for (var i = 0; i < 4; i++)
        {
            await harness.CreateAsync(PodSchemas.Pod, Pod($"p{i}", cpu: "500m"));
        }

        var nodes = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var pod = await harness.WaitForAsync(PodSchemas.Pod, "default", $"p{i}", static p => p?["spec"]?["nodeName"] is not null, $"p{i} bound");
            nodes.Add(pod["spec"]!["nodeName"]!.GetValue<string>());
            var scheduled = (pod["status"]!["conditions"] as JsonArray)!.OfType<JsonObject>().Single(static c => c.GetString("type") == "PodScheduled");
            Assert.Equal("True", scheduled.GetString("status"));
        }

        Assert.Equal(2, nodes.Count(static n => n == "a"));
        Assert.Equal(2, nodes.Count(static n => n == "b"));
    }

    [Fact]
    public async Task Pod_no_node_fits_gets_the_reason_and_is_bound_once_a_node_fits()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops);
        await harness.CreateAsync(NodeKind.Definition, Node("small", cpu: "1"));
        var pod = Pod("big", cpu: "3");
        pod["spec"]!["nodeSelector"] = new JsonObject { ["site"] = "plant-7" };
        await harness.CreateAsync(PodSchemas.Pod, pod);

        var pending = await harness.WaitForAsync(PodSchemas.Pod, "default", "big", static p => Scheduled(p)?.GetString("status") == "False", "PodScheduled=False");
        var condition = Scheduled(pending)!;
        Assert.Equal("Unschedulable", condition.GetString("reason"));
        Assert.StartsWith("0/1 nodes are available: 1 ", condition.GetString("message"), StringComparison.Ordinal);
        Assert.Contains("node(s) didn't match Pod's node affinity/selector", condition.GetString("message"), StringComparison.Ordinal);
        var events = await harness.WaitForListAsync(EventKind.Definition, "default", static list => list.Any(static e => e.GetString("reason") == "FailedScheduling"), "a FailedScheduling event");
        var failed = Assert.Single(events, static e => e.GetString("reason") == "FailedScheduling");
        Assert.Equal("Warning", failed.GetString("type"));
        Assert.Equal("big", failed["involvedObject"]!["name"]!.GetValue<string>());

        var fits = Node("plant-7-gw", cpu: "4");
        fits["metadata"]!["labels"] = new JsonObject { ["site"] = "plant-7" };
        await harness.CreateAsync(NodeKind.Definition, fits);
        var bound = await harness.WaitForAsync(PodSchemas.Pod, "default", "big", static p => p?["spec"]?["nodeName"] is not null, "bound after a fitting node joined");
        Assert.Equal("plant-7-gw", bound["spec"]!["nodeName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Pods_of_another_scheduler_and_terminating_pods_are_left_alone()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops);
        var other = Pod("other", cpu: "100m");
        other["spec"]!["schedulerName"] = "my-scheduler";
        await harness.CreateAsync(PodSchemas.Pod, other);
        await harness.CreateAsync(NodeKind.Definition, Node("a", cpu: "2"));
        await harness.CreateAsync(PodSchemas.Pod, Pod("mine", cpu: "100m"));
        await harness.WaitForAsync(PodSchemas.Pod, "default", "mine", static p => p?["spec"]?["nodeName"] is not null, "mine bound");
        await harness.SettleAsync();
        Assert.Null((await harness.GetAsync(PodSchemas.Pod, "default", "other"))!["spec"]!["nodeName"]);
    }

    internal static JsonObject Node(string name, string cpu) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = name } },
        ["spec"] = new JsonObject(),
        ["status"] = new JsonObject
        {
            ["capacity"] = new JsonObject { ["cpu"] = cpu, ["memory"] = "8Gi", ["pods"] = "110" },
            ["allocatable"] = new JsonObject { ["cpu"] = cpu, ["memory"] = "8Gi", ["pods"] = "110" },
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady" }),
        },
    };

    internal static JsonObject Pod(string name, string cpu) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["labels"] = new JsonObject { ["app"] = "web" } },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "c", ["image"] = "busybox", ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = cpu } },
            }),
        },
    };

    private static JsonObject? Scheduled(JsonObject? pod) =>
        (pod?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(static c => c.GetString("type") == "PodScheduled");
}
