using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Nodes;
using EdgeCloud.Controllers.Pods;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Tests.Nodes;

public sealed class NodeLifecycleControllerTests
{
    private static IReadOnlyList<IClusterController> Loops() => [new NodeLifecycleController(), new PodGarbageCollector()];

    [Fact]
    public async Task Silent_node_becomes_unknown_and_tainted_but_keeps_its_pods()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops);
        await SeedNodeAsync(harness, "edge-1");
        await harness.CreateAsync(PodSchemas.Pod, BoundPod("web-1", "edge-1"));

        await harness.SettleAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(39));
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        var node = await harness.WaitForAsync(NodeKind.Definition, null, "edge-1", n => ReadyStatus(n) == "Unknown" && Taints(n).Contains("node.kubernetes.io/unreachable:NoSchedule"), "Ready=Unknown and the unreachable taint");
        Assert.DoesNotContain("node.kubernetes.io/unreachable:NoExecute", Taints(node));
        Assert.Equal("NodeStatusUnknown", ReadyCondition(node)!.GetString("reason"));

        // Pods stay bound and are not being deleted: the node keeps running them offline.
        harness.Time.Advance(TimeSpan.FromMinutes(10));
        var pod = await harness.GetAsync(PodSchemas.Pod, "default", "web-1");
        Assert.NotNull(pod);
        Assert.Null(pod.Metadata()["deletionTimestamp"]);
        Assert.Equal("edge-1", pod["spec"]!["nodeName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Renewing_node_within_the_grace_period_stays_ready()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops);
        await SeedNodeAsync(harness, "edge-1");
        for (var i = 0; i < 5; i++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(30));
            await RenewAsync(harness, "edge-1");
            await harness.SettleAsync();
        }

        harness.Time.Advance(TimeSpan.FromSeconds(30));
        await harness.SettleAsync();
        var node = await harness.GetAsync(NodeKind.Definition, null, "edge-1");
        Assert.Equal("True", ReadyStatus(node));
        Assert.Empty(Taints(node!));
    }

    [Fact]
    public async Task Node_that_comes_back_is_ready_again_without_its_taint()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops);
        await SeedNodeAsync(harness, "edge-1");
        await harness.CreateAsync(PodSchemas.Pod, BoundPod("web-1", "edge-1"));
        await harness.SettleAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(45));
        await harness.WaitForAsync(NodeKind.Definition, null, "edge-1", n => ReadyStatus(n) == "Unknown", "Ready=Unknown");

        await RenewAsync(harness, "edge-1");
        var node = await harness.WaitForAsync(NodeKind.Definition, null, "edge-1", n => ReadyStatus(n) == "True" && Taints(n!).Count == 0, "Ready again, untainted");
        Assert.Equal("KubeletReady", ReadyCondition(node)!.GetString("reason"));
        var pods = await harness.Objects.ListAsync(ControllerHarness.Cluster, PodSchemas.Pod, null, 0, null, 0, static _ => true, CancellationToken.None);
        Assert.Single(pods.Items);
    }

    [Fact]
    public async Task Eviction_when_asked_for_honours_toleration_seconds()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops, new ControllerOptions { EvictPodsFromUnreachableNodes = true });
        await SeedNodeAsync(harness, "edge-1");
        await harness.CreateAsync(PodSchemas.Pod, BoundPod("plain", "edge-1"));
        var tolerant = BoundPod("tolerant", "edge-1");
        tolerant["spec"]!["tolerations"] = new JsonArray(new JsonObject
        {
            ["key"] = "node.kubernetes.io/unreachable", ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 120,
        });
        await harness.CreateAsync(PodSchemas.Pod, tolerant);
        await harness.SettleAsync();

        harness.Time.Advance(TimeSpan.FromSeconds(41));
        await harness.WaitForAsync(PodSchemas.Pod, "default", "plain", p => p?.Metadata()["deletionTimestamp"] is not null, "the untolerating pod marked for deletion");
        var node = await harness.GetAsync(NodeKind.Definition, null, "edge-1");
        Assert.Contains("node.kubernetes.io/unreachable:NoExecute", Taints(node!));
        Assert.Null((await harness.GetAsync(PodSchemas.Pod, "default", "tolerant"))!.Metadata()["deletionTimestamp"]);

        harness.Time.Advance(TimeSpan.FromSeconds(121));
        await harness.WaitForAsync(PodSchemas.Pod, "default", "tolerant", p => p?.Metadata()["deletionTimestamp"] is not null, "the tolerating pod marked after its tolerationSeconds");
    }

    [Fact]
    public async Task A_cluster_opts_into_eviction_through_its_settings_configmap_and_back_out()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops);
        await SeedNodeAsync(harness, "edge-1");
        await harness.CreateAsync(PodSchemas.Pod, BoundPod("plain", "edge-1"));
        await harness.SettleAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(41));
        await harness.WaitForAsync(NodeKind.Definition, null, "edge-1", n => Taints(n).Contains("node.kubernetes.io/unreachable:NoSchedule"), "the NoSchedule taint");
        Assert.DoesNotContain("node.kubernetes.io/unreachable:NoExecute", Taints(await harness.GetAsync(NodeKind.Definition, null, "edge-1")));

        await harness.CreateAsync(ConfigMapKind.Definition, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = ClusterSettings.ConfigMapName, ["namespace"] = "kube-system" },
            ["data"] = new JsonObject { [ClusterSettings.EvictUnreachablePodsKey] = "true" },
        });
        await harness.WaitForAsync(NodeKind.Definition, null, "edge-1", n => Taints(n).Contains("node.kubernetes.io/unreachable:NoExecute"), "the NoExecute taint once the cluster opts in");
        await harness.WaitForAsync(PodSchemas.Pod, "default", "plain", p => p?.Metadata()["deletionTimestamp"] is not null, "the pod evicted");

        await harness.UpdateAsync(ConfigMapKind.Definition, "kube-system", ClusterSettings.ConfigMapName, map => map["data"]![ClusterSettings.EvictUnreachablePodsKey] = "false");
        var node = await harness.WaitForAsync(NodeKind.Definition, null, "edge-1", n => !Taints(n).Contains("node.kubernetes.io/unreachable:NoExecute"), "the NoExecute taint gone once it opts out");
        Assert.Contains("node.kubernetes.io/unreachable:NoSchedule", Taints(node));
    }

    [Fact]
    public async Task An_unreadable_eviction_setting_is_reported_and_the_server_default_applies()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops);
        await SeedNodeAsync(harness, "edge-1");
        await harness.CreateAsync(ConfigMapKind.Definition, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = ClusterSettings.ConfigMapName, ["namespace"] = "kube-system" },
            ["data"] = new JsonObject { [ClusterSettings.EvictUnreachablePodsKey] = "yes" },
        });
        var events = await harness.WaitForListAsync(EventKind.Definition, "kube-system", static list => list.Any(static e => e.GetString("reason") == "InvalidSetting"), "an InvalidSetting event");
        var warning = events.Single(static e => e.GetString("reason") == "InvalidSetting");
        Assert.Equal("Warning", warning.GetString("type"));
        Assert.Contains("\"yes\" is neither \"true\" nor \"false\"", warning.GetString("message"), StringComparison.Ordinal);

        await harness.SettleAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(41));
        var node = await harness.WaitForAsync(NodeKind.Definition, null, "edge-1", n => Taints(n).Contains("node.kubernetes.io/unreachable:NoSchedule"), "the NoSchedule taint");
        Assert.DoesNotContain("node.kubernetes.io/unreachable:NoExecute", Taints(node));
    }

    [Fact]
    public async Task Terminating_pod_of_an_unreachable_node_is_removed_after_the_orphan_grace()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops, new ControllerOptions { OrphanedPodDeletionGrace = TimeSpan.FromSeconds(60) });
        await SeedNodeAsync(harness, "edge-1");
        await harness.CreateAsync(PodSchemas.Pod, BoundPod("web-1", "edge-1"));
        // As a DELETE with a 30 s grace period marks a bound pod.
        await harness.UpdateAsync(PodSchemas.Pod, "default", "web-1", pod =>
        {
            pod["metadata"]!["deletionTimestamp"] = ResourceStore.Timestamp(harness.Time.GetUtcNow().AddSeconds(30));
            pod["metadata"]!["deletionGracePeriodSeconds"] = 30;
        });
        await harness.SettleAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(45));
        await harness.WaitForAsync(NodeKind.Definition, null, "edge-1", n => ReadyStatus(n) == "Unknown", "Ready=Unknown");
        await harness.SettleAsync();
        Assert.NotNull(await harness.GetAsync(PodSchemas.Pod, "default", "web-1"));

        harness.Time.Advance(TimeSpan.FromSeconds(50));
        await harness.WaitForAsync(PodSchemas.Pod, "default", "web-1", static p => p is null, "the pod removed");
    }

    [Fact]
    public async Task Pod_bound_to_a_deleted_node_is_removed()
    {
        await using var harness = await ControllerHarness.StartAsync(Loops);
        await SeedNodeAsync(harness, "edge-1");
        var created = await harness.CreateAsync(PodSchemas.Pod, BoundPod("web-1", "edge-1"));
        var node = (await harness.GetAsync(NodeKind.Definition, null, "edge-1"))!;
        await harness.Objects.DeleteAtAsync(ControllerHarness.Cluster, NodeKind.Definition, null, "edge-1", long.Parse(node.Metadata().GetString("resourceVersion")!, System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
        await harness.SettleAsync();
        // Not at once: the node may be about to register again.
        await harness.WaitForAsync(PodSchemas.Pod, "default", "web-1", static p => p is not null, "the pod kept during the grace");
        harness.Time.Advance(TimeSpan.FromSeconds(61));
        await harness.WaitForAsync(PodSchemas.Pod, "default", "web-1", static p => p is null, "the orphaned pod removed");
        Assert.NotNull(created);
    }

    internal static async Task SeedNodeAsync(ControllerHarness harness, string name)
    {
        var now = ResourceStore.Timestamp(harness.Time.GetUtcNow());
        await harness.CreateAsync(NodeKind.Definition, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject(),
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady", ["lastHeartbeatTime"] = now, ["lastTransitionTime"] = now,
                }),
            },
        });
        await harness.CreateAsync(LeaseKind.Definition, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "kube-node-lease" },
            ["spec"] = new JsonObject { ["holderIdentity"] = name, ["leaseDurationSeconds"] = 40, ["renewTime"] = MicroTime(harness) },
        });
    }

    internal static Task RenewAsync(ControllerHarness harness, string name) =>
        harness.UpdateAsync(LeaseKind.Definition, "kube-node-lease", name, lease => lease["spec"]!["renewTime"] = MicroTime(harness));

    internal static JsonObject BoundPod(string name, string node) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject { ["nodeName"] = node, ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox" }) },
    };

    private static string MicroTime(ControllerHarness harness) =>
        harness.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject? ReadyCondition(JsonObject? node) =>
        (node?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(static c => c.GetString("type") == "Ready");

    private static string? ReadyStatus(JsonObject? node) => ReadyCondition(node)?.GetString("status");

    private static List<string> Taints(JsonObject? node) =>
        (node?["spec"]?["taints"] as JsonArray)?.OfType<JsonObject>().Select(static t => $"{t.GetString("key")}:{t.GetString("effect")}").ToList() ?? [];
}
