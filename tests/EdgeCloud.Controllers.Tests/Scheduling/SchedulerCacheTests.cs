using EdgeCloud.Controllers.Scheduling;
using static EdgeCloud.Controllers.Tests.Scheduling.KubeObjects;

namespace EdgeCloud.Controllers.Tests.Scheduling;

public sealed class SchedulerCacheTests
{
    [Fact]
    public void Adding_and_removing_pods_keeps_the_node_totals()
    {
        var cache = Cache(Node("n1"), Node("n2"));
        cache.AddPod("default/a", Pod("a", cpu: "500m", memory: "1Gi"), "n1");
        cache.AddPod("default/b", Pod("b", cpu: "250m", memory: "512Mi"), "n1");
        cache.AddPod("default/c", Pod("c", cpu: "1", memory: "1Mi"), "n2");

        var n1 = cache.GetUsage("n1")!;
        Assert.Equal(750, n1.Requested.MilliCpu);
        Assert.Equal(1536L * 1024 * 1024, n1.Requested.Memory);
        Assert.Equal(2, n1.Requested.Pods);
        Assert.Equal(["default/a", "default/b"], n1.PodKeys);
        Assert.Equal(3, cache.PodCount);

        Assert.True(cache.RemovePod("default/a"));
        Assert.False(cache.RemovePod("default/a"));
        n1 = cache.GetUsage("n1")!;
        Assert.Equal(250, n1.Requested.MilliCpu);
        Assert.Equal(1, n1.Requested.Pods);
        Assert.Equal(1000, cache.GetUsage("n2")!.Requested.MilliCpu);
    }

    [Fact]
    public void Adding_a_pod_twice_counts_it_once_and_a_new_node_moves_it()
    {
        var cache = Cache(Node("n1"), Node("n2"));
        var pod = Pod("a", cpu: "500m");
        cache.AddPod("default/a", pod, "n1");
        cache.AddPod("default/a", pod, "n1");
        // The watch's echo of the binding is a fresh parse of the same pod.
        cache.AddPod("default/a", Pod("a", cpu: "500m"), "n1");
        Assert.Equal(500, cache.GetUsage("n1")!.Requested.MilliCpu);
        Assert.Equal(1, cache.GetUsage("n1")!.Requested.Pods);

        cache.AddPod("default/a", Pod("a", cpu: "700m"), "n2");
        Assert.Equal(0, cache.GetUsage("n1")!.Requested.MilliCpu);
        Assert.Equal(0, cache.GetUsage("n1")!.Requested.Pods);
        Assert.Equal(700, cache.GetUsage("n2")!.Requested.MilliCpu);
        Assert.Equal("n2", cache.NodeOfPod("default/a"));
        Assert.Equal(1, cache.PodCount);
    }

    [Fact]
    public void Extended_resources_are_accounted()
    {
        var cache = Cache(Node("n1", extraAllocatable: new() { ["example.com/gpu"] = "4" }));
        var pod = PodWithSpec("""{"containers":[{"name":"a","resources":{"limits":{"example.com/gpu":"3"}}}]}""");
        cache.AddPod("default/p", pod, "n1");
        Assert.Equal(3, cache.GetUsage("n1")!.Requested.Extended["example.com/gpu"]);
        cache.RemovePod("default/p");
        Assert.False(cache.GetUsage("n1")!.Requested.Extended.ContainsKey("example.com/gpu"));
    }

    [Fact]
    public void Updating_a_node_keeps_the_pods_bound_to_it()
    {
        var cache = Cache(Node("n1", cpu: "1", zone: "z1"));
        cache.AddPod("default/a", Pod("a", cpu: "800m"), "n1");
        cache.AddOrUpdateNode(Node("n1", cpu: "2", zone: "z2"));

        Assert.Equal(1, cache.NodeCount);
        Assert.Equal(800, cache.GetUsage("n1")!.Requested.MilliCpu);
        Assert.True(cache.TryGetNode("n1", out var node));
        Assert.Equal(2000, node.Allocatable.MilliCpu);
        Assert.Equal("z2", node.Zone);

        // The bound pod still counts against the new allocatable: 1.2 cores are left, not 2.
        var scheduler = new PodScheduler();
        Assert.False(scheduler.Schedule(Pod("big", cpu: "1300m"), cache).Succeeded);
        Assert.Equal("n1", scheduler.Schedule(Pod("fits", cpu: "1200m"), cache).NodeName);
    }

    [Fact]
    public void A_removed_node_is_no_candidate_and_its_pods_count_again_if_it_returns()
    {
        var cache = Cache(Node("n1", cpu: "1"));
        cache.AddPod("default/a", Pod("a", cpu: "600m"), "n1");
        Assert.True(cache.RemoveNode("n1"));
        Assert.False(cache.RemoveNode("n1"));
        Assert.Equal(0, cache.NodeCount);
        Assert.False(cache.TryGetNode("n1", out _));
        Assert.Equal(600, cache.GetUsage("n1")!.Requested.MilliCpu);
        Assert.Equal("no nodes available to schedule pods", new PodScheduler().Schedule(Pod("b"), cache).Message);

        cache.AddOrUpdateNode(Node("n1", cpu: "1"));
        var result = new PodScheduler().Schedule(Pod("b", cpu: "500m"), cache);
        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu.", result.Message);

        cache.RemoveNode("n1");
        cache.RemovePod("default/a");
        Assert.Null(cache.GetUsage("n1"));
    }

    [Fact]
    public void Pods_seen_before_their_node_are_counted_when_it_arrives()
    {
        var cache = new SchedulerCache();
        cache.AddPod("default/a", Pod("a", cpu: "900m"), "late");
        Assert.Equal(0, cache.NodeCount);
        cache.AddOrUpdateNode(Node("late", cpu: "1"));
        Assert.Equal(1, cache.NodeCount);
        Assert.False(new PodScheduler().Schedule(Pod("b", cpu: "200m"), cache).Succeeded);
    }

    [Fact]
    public void Spread_counts_follow_pods_added_and_removed_after_the_first_use()
    {
        // The selector's per-node counts are built on first use, then kept up to date by AddPod and RemovePod.
        var constraint = """
            {"topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"kubernetes.io/hostname","whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"app":"web"}}}],
             "containers":[{"name":"a"}]}
            """;
        var cache = Cache(Node("n1"), Node("n2"));
        var scheduler = new PodScheduler();
        Assert.True(scheduler.Schedule(PodWithSpec(constraint, "w0", """{"app":"web"}"""), cache).Succeeded);

        cache.AddPod("default/w1", PodWithSpec(constraint, "w1", """{"app":"web"}"""), "n1");
        // n1 has one more than n2: only n2 keeps the skew within 1.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("n2", scheduler.Schedule(PodWithSpec(constraint, "w2", """{"app":"web"}"""), cache).NodeName);
        }

        cache.AddPod("default/w2", PodWithSpec(constraint, "w2", """{"app":"web"}"""), "n2");
        cache.AddPod("default/w3", PodWithSpec(constraint, "w3", """{"app":"web"}"""), "n2");
        Assert.Equal("n1", scheduler.Schedule(PodWithSpec(constraint, "w4", """{"app":"web"}"""), cache).NodeName);
        cache.RemovePod("default/w3");
        cache.RemovePod("default/w1");
        Assert.Equal("n1", scheduler.Schedule(PodWithSpec(constraint, "w4", """{"app":"web"}"""), cache).NodeName);
    }
}
