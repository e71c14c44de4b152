using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Scheduling;
using EdgeCloud.Controllers.Tests.Scheduling;
using EdgeCloud.Controllers.Workloads;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Tests.Workloads;

public sealed class DeploymentControllerTests
{
    private static IReadOnlyList<IClusterController> Loops() => [new DeploymentController(), new ReplicaSetController(), new SchedulerController()];

    [Fact]
    public async Task Deployment_rolls_out_becomes_available_and_rolls_a_new_image()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops);
        await harness.CreateAsync(NodeKind.Definition, SchedulerControllerTests.Node("a", cpu: "8"));
        var deployment = ReplicaSetControllerTests.ReplicaSet("web", 3);
        await harness.CreateAsync(DeploymentKind.Definition, deployment);

        await RunBoundPodsAsync(harness, 3, "nginx:1.27");
        var available = await harness.WaitForAsync(DeploymentKind.Definition, "default", "web", static d => Condition(d, "Available") == "True" && d?["status"]?["availableReplicas"]?.GetValue<int>() == 3, "Available with 3 replicas");
        Assert.Equal("1", available.Metadata()["annotations"]![DeploymentPlanning.RevisionAnnotation]!.GetValue<string>());
        Assert.Equal(available.Metadata()["generation"]!.GetValue<long>(), available["status"]!["observedGeneration"]!.GetValue<long>());

        await harness.UpdateAsync(DeploymentKind.Definition, "default", "web", static d =>
        {
            d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:1.28";
            d.Metadata()["generation"] = 2;
        });
        await RunBoundPodsAsync(harness, 3, "nginx:1.28");
        var rolled = await harness.WaitForAsync(DeploymentKind.Definition, "default", "web", static d => d?["status"]?["updatedReplicas"]?.GetValue<int>() == 3 && d?["status"]?["replicas"]?.GetValue<int>() == 3 && d?["status"]?["availableReplicas"]?.GetValue<int>() == 3, "3 updated replicas");
        Assert.Equal("2", rolled.Metadata()["annotations"]![DeploymentPlanning.RevisionAnnotation]!.GetValue<string>());
        var sets = await harness.Objects.ListAsync(ControllerHarness.Cluster, ReplicaSetKind.Definition, "default", 0, null, 0, static _ => true, CancellationToken.None);
        Assert.Equal(2, sets.Items.Count);
        Assert.Contains(sets.Items, static rs => rs["spec"]!["replicas"]!.GetValue<int>() == 0);
    }

    /// <summary>
    /// Plays the node: marks every bound pod of <paramref name="image"/> Running and Ready, and removes pods marked
    /// for deletion, until <paramref name="count"/> pods of that image run and no other pod is left.
    /// </summary>
    private static async Task RunBoundPodsAsync(ControllerHarness harness, int count, string image)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var revision = await harness.Store.GetRevisionAsync(ControllerHarness.Cluster);
        await using var watch = await harness.Store.WatchAsync(ControllerHarness.Cluster, ObjectKeys.Prefix(PodSchemas.Pod, "default"), revision, timeout.Token);
        while (true)
        {
            var pods = (await harness.Objects.ListAsync(ControllerHarness.Cluster, PodSchemas.Pod, "default", 0, null, 0, static _ => true, CancellationToken.None)).Items;
            var running = 0;
            foreach (var pod in pods)
            {
                var name = pod.Metadata().GetString("name")!;
                if (pod.Metadata()["deletionTimestamp"] is not null)
                {
                    await harness.Objects.DeleteAtAsync(ControllerHarness.Cluster, PodSchemas.Pod, "default", name, long.Parse(pod.Metadata().GetString("resourceVersion")!, System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
                    continue;
                }

                if (pod["spec"]?["nodeName"] is null)
                {
                    continue;
                }

                if (Condition(pod, "Ready") != "True")
                {
                    await harness.UpdateAsync(PodSchemas.Pod, "default", name, static p => p["status"] = new JsonObject
                    {
                        ["phase"] = "Running",
                        ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["lastTransitionTime"] = "2026-12-01T12:00:00Z" }),
                    });
                }

                if (pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>() == image)
                {
                    running++;
                }
            }

            if (running == count && pods.Count == count)
            {
                return;
            }

            try
            {
                await watch.Events.WaitToReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"pods of {image}: {running} running of {pods.Count}; controllers logged: {string.Join(" | ", harness.Loggers.Problems)}");
            }

            while (watch.Events.TryRead(out _))
            {
            }
        }
    }

    private static string? Condition(JsonObject? obj, string type) =>
        (obj?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == type)?.GetString("status");
}
