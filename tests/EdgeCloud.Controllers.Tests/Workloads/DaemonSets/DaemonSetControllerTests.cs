using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Scheduling;
using EdgeCloud.Controllers.Tests.Scheduling;
using EdgeCloud.Controllers.Workloads.DaemonSets;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Kube.Validation;

namespace EdgeCloud.Controllers.Tests.Workloads.DaemonSets;

public sealed class DaemonSetControllerTests
{
    private const string Ns = "kube-system";

    private static IReadOnlyList<IClusterController> Loops() => [new DaemonSetController(), new SchedulerController()];

    private static JsonObject Node(string name, string? site = null) =>
        KubeObjects.NodeJson(name, labels: site is null ? null : new JsonObject { ["site"] = site });

    private static JsonObject DaemonSet(string image = "fluent/fluent-bit:3.0", int maxUnavailable = 1)
    {
        var ds = DaemonSetObjects.DaemonSet(image, nodeSelector: "site=plant-7", strategy: DaemonSetObjects.Rolling(maxUnavailable, 0));
        var metadata = ds["metadata"]!.AsObject();
        metadata.Remove("uid");
        metadata.Remove("creationTimestamp");
        // Defaulted as the API stores it: the template hash is of the defaulted template.
        ObjectAdmission.Prepare(DaemonSetKind.Definition, ds, FieldValidation.Ignore);
        return ds;
    }

    [Fact]
    public async Task Pods_land_only_on_matching_nodes_follow_label_changes_and_nodes_added_later()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops);
        await harness.CreateAsync(NodeKind.Definition, Node("gw-a", site: "plant-7"));
        await harness.CreateAsync(NodeKind.Definition, Node("gw-b"));
        await harness.CreateAsync(DaemonSetKind.Definition, DaemonSet());

        await WaitForBoundAsync(harness, ["gw-a"]);
        await harness.SettleAsync();
        Assert.Equal(["gw-a"], (await ListPodsAsync(harness)).Select(static p => DaemonSetPods.TargetNode(p)));
        var status = await WaitForStatusAsync(harness, static s => Int(s, "desiredNumberScheduled") == 1 && Int(s, "currentNumberScheduled") == 1);
        Assert.Equal(0, Int(status, "numberMisscheduled"));
        var events = await harness.WaitForListAsync(EventKind.Definition, Ns, static list => list.Any(static e => e.GetString("reason") == "SuccessfulCreate"), "a SuccessfulCreate event");
        Assert.All(events.Where(static e => e.GetString("reason") == "SuccessfulCreate"), static e => Assert.Equal("DaemonSet", e["involvedObject"]!["kind"]!.GetValue<string>()));

        // A site added later, and an existing node that becomes one, get their daemon.
        await harness.CreateAsync(NodeKind.Definition, Node("gw-c", site: "plant-7"));
        await WaitForBoundAsync(harness, ["gw-a", "gw-c"]);
        await harness.UpdateAsync(NodeKind.Definition, null, "gw-b", static n => n.Metadata()["labels"]!["site"] = "plant-7");
        await WaitForBoundAsync(harness, ["gw-a", "gw-b", "gw-c"]);
        await WaitForStatusAsync(harness, static s => Int(s, "desiredNumberScheduled") == 3 && Int(s, "currentNumberScheduled") == 3);

        // A node that stops matching loses its daemon (gracefully: it is bound, so the node finishes the deletion).
        await harness.UpdateAsync(NodeKind.Definition, null, "gw-a", static n => n.Metadata()["labels"]!.AsObject().Remove("site"));
        var pods = await harness.WaitForListAsync(PodSchemas.Pod, Ns, static list => list.Any(static p => NodeOf(p) == "gw-a" && p.Metadata()["deletionTimestamp"] is not null), "the pod on gw-a marked for deletion");
        Assert.Equal(["gw-b", "gw-c"], pods.Where(static p => p.Metadata()["deletionTimestamp"] is null).Select(NodeOf).Order(StringComparer.Ordinal));
        await WaitForStatusAsync(harness, static s => Int(s, "desiredNumberScheduled") == 2);
        await harness.WaitForListAsync(EventKind.Definition, Ns, static list => list.Any(static e => e.GetString("reason") == "SuccessfulDelete"), "a SuccessfulDelete event");
    }

    [Fact]
    public async Task A_new_template_rolls_within_maxUnavailable_with_numbered_revisions_and_status()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops);
        string[] sites = ["gw-a", "gw-b", "gw-c"];
        foreach (var site in sites)
        {
            await harness.CreateAsync(NodeKind.Definition, Node(site, site: "plant-7"));
        }

        await harness.CreateAsync(NodeKind.Definition, Node("office"));
        await harness.CreateAsync(DaemonSetKind.Definition, DaemonSet("fluent/fluent-bit:3.0"));

        await PlayNodesAsync(harness, "fluent/fluent-bit:3.0", sites, trackUnavailable: false);
        var first = await WaitForStatusAsync(harness, static s => Int(s, "numberAvailable") == 3 && Int(s, "updatedNumberScheduled") == 3);
        Assert.Equal(3, Int(first, "desiredNumberScheduled"));
        Assert.Equal(3, Int(first, "numberReady"));
        Assert.Equal(0, Int(first, "numberUnavailable"));
        Assert.Equal(1, first["observedGeneration"]!.GetValue<long>());
        var revisions = await Revisions(harness);
        var one = Assert.Single(revisions);
        Assert.Equal(1, one["revision"]!.GetValue<long>());
        var firstHash = one.Metadata()["labels"]!["controller-revision-hash"]!.GetValue<string>();
        Assert.Equal("logs-" + firstHash, one.Metadata().GetString("name"));

        await harness.UpdateAsync(DaemonSetKind.Definition, Ns, "logs", static d =>
        {
            d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "fluent/fluent-bit:3.1";
            d.Metadata()["generation"] = 2;
        });

        // maxUnavailable 1: one old pod goes, and no other while its node lacks an available pod.
        _ = await harness.WaitForListAsync(PodSchemas.Pod, Ns, static list => list.Any(static p => p.Metadata()["deletionTimestamp"] is not null), "an old pod marked for deletion");
        await harness.SettleAsync();
        var pods = await ListPodsAsync(harness);
        Assert.Single(pods, static p => p.Metadata()["deletionTimestamp"] is not null);
        Assert.All(pods, static p => Assert.Equal("fluent/fluent-bit:3.0", Image(p)));

        var maxUnavailable = await PlayNodesAsync(harness, "fluent/fluent-bit:3.1", sites, trackUnavailable: true);
        Assert.Equal(1, maxUnavailable);
        var rolled = await WaitForStatusAsync(harness, static s => s["observedGeneration"]?.GetValue<long>() == 2 && Int(s, "updatedNumberScheduled") == 3 && Int(s, "numberAvailable") == 3);
        Assert.Equal(3, Int(rolled, "desiredNumberScheduled"));

        revisions = await Revisions(harness);
        Assert.Equal([1L, 2L], revisions.Select(static r => r["revision"]!.GetValue<long>()).Order());
        var second = revisions.Single(static r => r["revision"]!.GetValue<long>() == 2);
        var secondHash = second.Metadata()["labels"]!["controller-revision-hash"]!.GetValue<string>();
        Assert.NotEqual(firstHash, secondHash);
        Assert.Equal("fluent/fluent-bit:3.1", second["data"]!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.All(await ListPodsAsync(harness), p => Assert.Equal(secondHash, p.Metadata()["labels"]!["controller-revision-hash"]!.GetValue<string>()));

        // Going back to the first template (what kubectl rollout undo does) renumbers its revision as the newest.
        await harness.UpdateAsync(DaemonSetKind.Definition, Ns, "logs", static d =>
        {
            d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "fluent/fluent-bit:3.0";
            d.Metadata()["generation"] = 3;
        });
        await harness.WaitForListAsync(ControllerRevisionKind.Definition, Ns, list => list.Any(r => r.Metadata().GetString("name") == "logs-" + firstHash && r["revision"]!.GetValue<long>() == 3), "the first revision renumbered 3");
        await PlayNodesAsync(harness, "fluent/fluent-bit:3.0", sites, trackUnavailable: true);
        Assert.Equal(2, (await Revisions(harness)).Count);
    }

    [Fact]
    public void Only_node_changes_that_can_alter_a_fit_queue_the_daemon_sets()
    {
        var node = Node("gw-a", site: "plant-7");
        var heartbeat = node.DeepClone().AsObject();
        heartbeat["status"]!["conditions"]![0]!["lastHeartbeatTime"] = "2026-12-01T12:00:10Z";
        var relabelled = node.DeepClone().AsObject();
        relabelled.Metadata()["labels"]!["site"] = "plant-8";
        var tainted = node.DeepClone().AsObject();
        tainted["spec"]!["taints"] = new JsonArray(KubeObjects.TaintJson("k", "v", "NoSchedule"));

        Assert.False(DaemonSetController.MayChangeFit(node, heartbeat));
        Assert.True(DaemonSetController.MayChangeFit(node, relabelled));
        Assert.True(DaemonSetController.MayChangeFit(node, tainted));
        Assert.True(DaemonSetController.MayChangeFit(null, node));
        Assert.True(DaemonSetController.MayChangeFit(node, null));
    }

    /// <summary>
    /// Plays the nodes as their agents would: marks bound pods Running and Ready and finishes deletions, until each
    /// of <paramref name="nodes"/> runs exactly one ready pod of <paramref name="image"/> and nothing else is left.
    /// Returns the most nodes seen at once without a ready pod (when <paramref name="trackUnavailable"/>).
    /// </summary>
    private static async Task<int> PlayNodesAsync(ControllerHarness harness, string image, string[] nodes, bool trackUnavailable)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var revision = await harness.Store.GetRevisionAsync(ControllerHarness.Cluster);
        await using var watch = await harness.Store.WatchAsync(ControllerHarness.Cluster, ObjectKeys.Prefix(PodSchemas.Pod, Ns), revision, timeout.Token);
        var most = 0;
        while (true)
        {
            var pods = await ListPodsAsync(harness);
            if (trackUnavailable)
            {
                most = Math.Max(most, nodes.Count(n => !pods.Any(p => NodeOf(p) == n && p.Metadata()["deletionTimestamp"] is null && Ready(p))));
            }

            if (pods.Count == nodes.Length && pods.All(p => Ready(p) && Image(p) == image) && nodes.All(n => pods.Count(p => NodeOf(p) == n) == 1))
            {
                return most;
            }

            foreach (var pod in pods)
            {
                var name = pod.Metadata().GetString("name")!;
                if (pod.Metadata()["deletionTimestamp"] is not null)
                {
                    await harness.Objects.DeleteAtAsync(ControllerHarness.Cluster, PodSchemas.Pod, Ns, name, long.Parse(pod.Metadata().GetString("resourceVersion")!, CultureInfo.InvariantCulture), CancellationToken.None);
                }
                else if (NodeOf(pod) is not null && !Ready(pod))
                {
                    await harness.UpdateAsync(PodSchemas.Pod, Ns, name, static p => p["status"] = new JsonObject
                    {
                        ["phase"] = "Running",
                        ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["lastTransitionTime"] = "2026-12-01T12:00:00Z" }),
                    });
                }
            }

            try
            {
                await watch.Events.WaitToReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"daemon pods of {image}: {string.Join(", ", pods.Select(p => $"{NodeOf(p)}:{Image(p)}:{Ready(p)}"))}; controllers logged: {string.Join(" | ", harness.Loggers.Problems)}");
            }

            while (watch.Events.TryRead(out _))
            {
            }
        }
    }

    private static async Task WaitForBoundAsync(ControllerHarness harness, string[] nodes) =>
        await harness.WaitForListAsync(PodSchemas.Pod, Ns, list =>
            list.Count(static p => p.Metadata()["deletionTimestamp"] is null) == nodes.Length
            && nodes.All(n => list.Count(p => NodeOf(p) == n) == 1), $"one daemon pod bound on each of {string.Join(",", nodes)}");

    private static async Task<JsonObject> WaitForStatusAsync(ControllerHarness harness, Func<JsonObject, bool> condition) =>
        (await harness.WaitForAsync(DaemonSetKind.Definition, Ns, "logs", d => d?["status"] is JsonObject s && condition(s), "daemon set status"))["status"]!.AsObject();

    private static async Task<IReadOnlyList<JsonObject>> ListPodsAsync(ControllerHarness harness) =>
        (await harness.Objects.ListAsync(ControllerHarness.Cluster, PodSchemas.Pod, Ns, 0, null, 0, static _ => true, CancellationToken.None)).Items;

    private static async Task<IReadOnlyList<JsonObject>> Revisions(ControllerHarness harness) =>
        (await harness.Objects.ListAsync(ControllerHarness.Cluster, ControllerRevisionKind.Definition, Ns, 0, null, 0, static _ => true, CancellationToken.None)).Items;

    private static string? NodeOf(JsonObject pod) => (pod["spec"] as JsonObject)?.GetString("nodeName");

    private static string Image(JsonObject pod) => pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

    private static bool Ready(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(static c => c.GetString("type") == "Ready" && c.GetString("status") == "True") == true;

    private static int Int(JsonObject status, string field) => status[field]?.GetValue<int>() ?? -1;
}
