using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Scheduling;
using static EdgeCloud.Controllers.Tests.Scheduling.KubeObjects;

namespace EdgeCloud.Controllers.Tests.Scheduling;

public sealed class PodSchedulerFilterTests
{
    private static SchedulingResult ScheduleOn(PodRequirements pod, params NodeSnapshot[] nodes) =>
        new PodScheduler().Schedule(pod, Cache(nodes));

    [Fact]
    public void No_nodes_at_all()
    {
        var result = new PodScheduler().Schedule(Pod("p"), new SchedulerCache());
        Assert.False(result.Succeeded);
        Assert.Equal("no nodes available to schedule pods", result.Message);
    }

    [Fact]
    public void A_pod_that_fits_gets_a_node()
    {
        var result = ScheduleOn(Pod("p", cpu: "1", memory: "1Gi"), Node("n1", cpu: "1", memory: "1Gi"));
        Assert.True(result.Succeeded);
        Assert.Equal("n1", result.NodeName);
        Assert.Equal("", result.Message);
    }

    [Fact]
    public void Insufficient_cpu_memory_and_both()
    {
        var result = ScheduleOn(Pod("p", cpu: "2", memory: "1Gi"),
            Node("small-cpu", cpu: "1", memory: "4Gi"),
            Node("small-mem", cpu: "4", memory: "512Mi"),
            Node("tiny", cpu: "1", memory: "512Mi"));
        Assert.Equal("0/3 nodes are available: 2 Insufficient cpu, 2 Insufficient memory.", result.Message);
        Assert.Equal(2, result.FailureReasons["Insufficient cpu"]);
        Assert.Equal(3, result.EvaluatedNodes);
    }

    [Fact]
    public void Requests_are_checked_against_allocatable_minus_what_is_bound()
    {
        var cache = Cache(Node("n1", cpu: "2", memory: "2Gi"));
        cache.AddPod("default/a", Pod("a", cpu: "1500m", memory: "1Gi"), "n1");
        var scheduler = new PodScheduler();
        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu.", scheduler.Schedule(Pod("b", cpu: "600m", memory: "1Gi"), cache).Message);
        Assert.Equal("n1", scheduler.Schedule(Pod("c", cpu: "500m", memory: "1Gi"), cache).NodeName);
    }

    [Fact]
    public void Too_many_pods_and_zero_request_pods()
    {
        var cache = Cache(Node("n1", pods: "2"));
        cache.AddPod("default/a", Pod("a", cpu: null, memory: null), "n1");
        var scheduler = new PodScheduler();
        Assert.True(scheduler.Schedule(Pod("b", cpu: null, memory: null), cache).Succeeded);
        cache.AddPod("default/b", Pod("b", cpu: null, memory: null), "n1");
        Assert.Equal("0/1 nodes are available: 1 Too many pods.", scheduler.Schedule(Pod("c", cpu: null, memory: null), cache).Message);
    }

    [Fact]
    public void Insufficient_extended_and_ephemeral_storage()
    {
        var pod = PodWithSpec("""{"containers":[{"name":"a","resources":{"requests":{"example.com/gpu":"2","ephemeral-storage":"10Gi"}}}]}""");
        var result = ScheduleOn(pod,
            Node("gpu", extraAllocatable: new() { ["example.com/gpu"] = "2", ["ephemeral-storage"] = "5Gi" }),
            Node("plain", extraAllocatable: new() { ["ephemeral-storage"] = "50Gi" }));
        Assert.Equal("0/2 nodes are available: 1 Insufficient ephemeral-storage, 1 Insufficient example.com/gpu.", result.Message);
        Assert.Equal("gpu", ScheduleOn(pod, Node("gpu", extraAllocatable: new() { ["example.com/gpu"] = "2", ["ephemeral-storage"] = "50Gi" })).NodeName);
    }

    [Fact]
    public void Node_selector_and_affinity()
    {
        var pod = Pod("p", specExtras: new() { ["nodeSelector"] = new JsonObject { ["site"] = "lyon" } });
        var result = ScheduleOn(pod, Node("paris", labels: new() { ["site"] = "paris" }), Node("bare"));
        Assert.Equal("0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.", result.Message);
        Assert.Equal("lyon", ScheduleOn(pod, Node("paris", labels: new() { ["site"] = "paris" }), Node("lyon", labels: new() { ["site"] = "lyon" })).NodeName);
    }

    [Fact]
    public void Untolerated_taints_name_the_first_one()
    {
        var node = Node("n1", taints: [TaintJson("soft", "x", "PreferNoSchedule"), TaintJson("dedicated", "gpu", "NoSchedule"), TaintJson("evict", "", "NoExecute")]);
        Assert.Equal("0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}.", ScheduleOn(Pod("p"), node).Message);

        var tolerateGpu = new JsonObject { ["tolerations"] = new JsonArray(new JsonObject { ["key"] = "dedicated", ["operator"] = "Equal", ["value"] = "gpu", ["effect"] = "NoSchedule" }) };
        Assert.Equal("0/1 nodes are available: 1 node(s) had untolerated taint {evict: }.", ScheduleOn(Pod("p", specExtras: tolerateGpu), node).Message);

        var tolerateAll = new JsonObject { ["tolerations"] = new JsonArray(new JsonObject { ["operator"] = "Exists" }) };
        Assert.Equal("n1", ScheduleOn(Pod("p", specExtras: tolerateAll), node).NodeName);
    }

    [Fact]
    public void PreferNoSchedule_never_filters()
    {
        Assert.Equal("n1", ScheduleOn(Pod("p"), Node("n1", taints: [TaintJson("soft", "", "PreferNoSchedule")])).NodeName);
    }

    [Fact]
    public void Nodes_that_are_not_ready_are_kept_off_by_their_taints()
    {
        var result = ScheduleOn(Pod("p"), Node("down", ready: "False"), Node("gone", ready: "Unknown"), Node("silent", ready: "Unknown"));
        Assert.Equal("0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 2 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.", result.Message);

        // A pod that tolerates unreachable nodes (a DaemonSet's, say) may still go there.
        var tolerant = new JsonObject { ["tolerations"] = new JsonArray(new JsonObject { ["key"] = "node.kubernetes.io/unreachable", ["operator"] = "Exists", ["effect"] = "NoSchedule" }) };
        Assert.Equal("gone", ScheduleOn(Pod("p", specExtras: tolerant), Node("down", ready: "False"), Node("gone", ready: "Unknown")).NodeName);
    }

    [Fact]
    public void Cordoned_nodes_are_unschedulable_unless_tolerated()
    {
        Assert.Equal("0/1 nodes are available: 1 node(s) were unschedulable.", ScheduleOn(Pod("p"), Node("n1", unschedulable: true)).Message);
        var tolerant = new JsonObject { ["tolerations"] = new JsonArray(new JsonObject { ["key"] = "node.kubernetes.io/unschedulable", ["operator"] = "Exists", ["effect"] = "NoSchedule" }) };
        Assert.Equal("n1", ScheduleOn(Pod("p", specExtras: tolerant), Node("n1", unschedulable: true)).NodeName);
    }

    [Fact]
    public void Each_node_reports_its_first_failing_filter_and_the_message_sorts_the_counts()
    {
        var pod = Pod("p", cpu: "2", specExtras: new() { ["nodeSelector"] = new JsonObject { ["site"] = "lyon" } });
        var lyon = new JsonObject { ["site"] = "lyon" };
        var result = ScheduleOn(pod,
            // Cordoned and short of cpu: only "unschedulable" counts, as upstream stops at the first failing filter.
            Node("cordoned", cpu: "1", unschedulable: true, labels: lyon.DeepClone().AsObject()),
            Node("tainted", taints: [TaintJson("k", "v", "NoSchedule")], labels: lyon.DeepClone().AsObject()),
            Node("elsewhere1"),
            Node("elsewhere2"),
            Node("small", cpu: "1", labels: lyon.DeepClone().AsObject()));
        Assert.Equal(
            "0/5 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {k: v}, 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector.",
            result.Message);
        Assert.Equal(4, result.FailureReasons.Count);
    }

    [Fact]
    public void Spread_DoNotSchedule_filters_a_node_that_would_exceed_max_skew()
    {
        var cache = Cache(Node("n1", zone: "a"), Node("n2", zone: "b"), Node("n3", zone: "c"));
        var spec = """
            {"topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"app":"web"}}}],
             "containers":[{"name":"a"}]}
            """;
        cache.AddPod("default/w1", PodWithSpec(spec, "w1", """{"app":"web"}"""), "n1");
        cache.AddPod("default/w2", PodWithSpec(spec, "w2", """{"app":"web"}"""), "n2");
        // Pods of another app and another namespace do not count.
        cache.AddPod("default/o1", PodWithSpec(spec, "o1", """{"app":"other"}"""), "n3");
        cache.AddPod("other/w9", PodRequirements.FromPod(Json("""{"metadata":{"name":"w9","namespace":"other","labels":{"app":"web"}},"spec":{}}""")), "n3");

        var scheduler = new PodScheduler();
        for (var i = 0; i < 3; i++)
        {
            var result = scheduler.Schedule(PodWithSpec(spec, "w3", """{"app":"web"}"""), cache);
            Assert.Equal("n3", result.NodeName);
            Assert.Equal(1, result.FeasibleNodes);
        }

        cache.AddPod("default/w3", PodWithSpec(spec, "w3", """{"app":"web"}"""), "n3");
        cache.AddPod("default/w4", PodWithSpec(spec, "w4", """{"app":"web"}"""), "n3");
        // n1 and n2 cordoned: they still count for their zones, and n3 (zone c, 3 pods against 1) would reach skew 3.
        cache.AddOrUpdateNode(Node("n1", zone: "a", unschedulable: true));
        cache.AddOrUpdateNode(Node("n2", zone: "b", unschedulable: true));
        var blocked = new PodScheduler().Schedule(PodWithSpec(spec, "w5", """{"app":"web"}"""), cache);
        Assert.Equal("0/3 nodes are available: 1 node(s) didn't match pod topology spread constraints, 2 node(s) were unschedulable.", blocked.Message);
    }

    [Fact]
    public void Spread_DoNotSchedule_refuses_nodes_without_the_key_and_honours_min_domains()
    {
        var spec = """
            {"topologySpreadConstraints":[{"maxSkew":1,"minDomains":3,"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"app":"web"}}}],
             "containers":[{"name":"a"}]}
            """;
        var cache = Cache(Node("n1", zone: "a"), Node("n2", zone: "b"), Node("nozone"));
        cache.AddPod("default/w1", PodWithSpec(spec, "w1", """{"app":"web"}"""), "n1");
        cache.AddPod("default/w2", PodWithSpec(spec, "w2", """{"app":"web"}"""), "n2");
        // Two zones of one pod each, but minDomains 3: the minimum counts as 0 and both zones are full.
        var result = new PodScheduler().Schedule(PodWithSpec(spec, "w3", """{"app":"web"}"""), cache);
        Assert.Equal(
            "0/3 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label), 2 node(s) didn't match pod topology spread constraints.",
            result.Message);

        var relaxed = spec.Replace("\"minDomains\":3,", "", StringComparison.Ordinal);
        Assert.True(new PodScheduler().Schedule(PodWithSpec(relaxed, "w3", """{"app":"web"}"""), cache).Succeeded);
    }
}
