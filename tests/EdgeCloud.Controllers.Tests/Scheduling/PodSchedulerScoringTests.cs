using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Scheduling;
using static EdgeCloud.Controllers.Tests.Scheduling.KubeObjects;

namespace EdgeCloud.Controllers.Tests.Scheduling;

public sealed class PodSchedulerScoringTests
{
    // Schedules the pods one after another, binding each where it lands, and counts them per node.
    private static Dictionary<string, int> Place(SchedulerCache cache, PodScheduler scheduler, Func<int, PodRequirements> pod, int count)
    {
        var placed = new Dictionary<string, int>();
        for (var i = 0; i < count; i++)
        {
            var requirements = pod(i);
            var result = scheduler.Schedule(requirements, cache);
            Assert.True(result.Succeeded, result.Message);
            cache.AddPod($"default/{requirements.Name}", requirements, result.NodeName!);
            placed[result.NodeName!] = placed.GetValueOrDefault(result.NodeName!) + 1;
        }

        return placed;
    }

    [Fact]
    public void Pods_of_one_ReplicaSet_spread_over_nodes_and_zones_by_default()
    {
        // n1 is much larger, so resource scoring alone would pile the pods onto it.
        var cache = Cache(Node("n1", cpu: "64", memory: "256Gi", zone: "a"), Node("n2", zone: "b"), Node("n3", zone: "c"));
        var placed = Place(cache, new PodScheduler(), i => Pod($"web-{i}", ownerUid: "rs-1"), 6);
        Assert.Equal(new Dictionary<string, int> { ["n1"] = 2, ["n2"] = 2, ["n3"] = 2 }, placed);
    }

    [Fact]
    public void Pods_without_a_controller_are_not_spread_by_default()
    {
        var cache = Cache(Node("n1", cpu: "64", memory: "256Gi", zone: "a"), Node("n2", zone: "b"), Node("n3", zone: "c"));
        var placed = Place(cache, new PodScheduler(), i => Pod($"solo-{i}"), 6);
        Assert.Equal(new Dictionary<string, int> { ["n1"] = 6 }, placed);
    }

    [Fact]
    public void Default_spreading_counts_only_the_same_controller()
    {
        var cache = Cache(Node("n1", zone: "a"), Node("n2", zone: "b"));
        // Another ReplicaSet's pods on n2 do not push this one's pods away, beyond their resource use.
        for (var i = 0; i < 2; i++)
        {
            cache.AddPod($"default/other-{i}", Pod($"other-{i}", cpu: "10m", memory: "1Mi", ownerUid: "rs-other"), "n2");
        }

        cache.AddPod("default/web-0", Pod("web-0", cpu: "10m", memory: "1Mi", ownerUid: "rs-web"), "n1");
        var result = new PodScheduler().Schedule(Pod("web-1", cpu: "10m", memory: "1Mi", ownerUid: "rs-web"), cache);
        Assert.Equal("n2", result.NodeName);
    }

    [Fact]
    public void A_ScheduleAnyway_zone_constraint_balances_zones_of_unequal_size()
    {
        var cache = Cache(Node("a1", zone: "a"), Node("a2", zone: "a"), Node("a3", zone: "a"), Node("b1", zone: "b"));
        var spec = new JsonObject
        {
            ["topologySpreadConstraints"] = JsonNode.Parse("""
                [{"maxSkew":1,"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"ScheduleAnyway","labelSelector":{"matchLabels":{"app":"web"}}}]
                """),
        };
        var placed = Place(cache, new PodScheduler(), i => Pod($"web-{i}", labels: new() { ["app"] = "web" }, specExtras: spec), 4);
        Assert.Equal(2, placed.GetValueOrDefault("b1"));
        Assert.Equal(2, placed.GetValueOrDefault("a1") + placed.GetValueOrDefault("a2") + placed.GetValueOrDefault("a3"));
    }

    [Fact]
    public void With_its_own_constraints_a_pod_avoids_nodes_without_the_topology_key()
    {
        // As upstream, a node lacking a key of the pod's own (ScheduleAnyway) constraints scores lowest for
        // spreading, even against a node that already holds a matching pod. The system defaults do not do this.
        var cache = Cache(Node("zoned", zone: "a"), Node("nozone"));
        cache.AddPod("default/web-0", Pod("web-0", labels: new() { ["app"] = "web" }, ownerUid: "rs"), "zoned");
        var spec = new JsonObject
        {
            ["topologySpreadConstraints"] = JsonNode.Parse("""
                [{"maxSkew":1,"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"ScheduleAnyway","labelSelector":{"matchLabels":{"app":"web"}}}]
                """),
        };
        Assert.Equal("zoned", new PodScheduler().Schedule(Pod("web-1", labels: new() { ["app"] = "web" }, ownerUid: "rs", specExtras: spec), cache).NodeName);
        Assert.Equal("nozone", new PodScheduler().Schedule(Pod("web-1", labels: new() { ["app"] = "web" }, ownerUid: "rs"), cache).NodeName);
    }

    [Fact]
    public void A_DoNotSchedule_hostname_constraint_places_one_per_node_in_turn()
    {
        var cache = Cache(Node("n1", cpu: "64", memory: "256Gi"), Node("n2"), Node("n3"));
        var spec = new JsonObject
        {
            ["topologySpreadConstraints"] = JsonNode.Parse("""
                [{"maxSkew":1,"topologyKey":"kubernetes.io/hostname","whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"app":"web"}}}]
                """),
        };
        var placed = Place(cache, new PodScheduler(), i => Pod($"web-{i}", labels: new() { ["app"] = "web" }, specExtras: spec), 6);
        Assert.Equal(new Dictionary<string, int> { ["n1"] = 2, ["n2"] = 2, ["n3"] = 2 }, placed);
    }

    [Fact]
    public void The_least_allocated_node_wins()
    {
        var cache = Cache(Node("busy"), Node("idle"));
        cache.AddPod("default/heavy", Pod("heavy", cpu: "3", memory: "6Gi"), "busy");
        var scheduler = new PodScheduler();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("idle", scheduler.Schedule(Pod("p"), cache).NodeName);
        }
    }

    [Fact]
    public void Balanced_allocation_prefers_the_node_the_pod_leaves_balanced()
    {
        // Both nodes end up with the same free share (least allocated ties), but on "cpu-heavy" the pod's cpu
        // would make cpu and memory use unequal.
        var cache = Cache(Node("cpu-heavy", cpu: "4", memory: "8Gi"), Node("mem-heavy", cpu: "4", memory: "8Gi"));
        cache.AddPod("default/c", Pod("c", cpu: "2", memory: "0"), "cpu-heavy");
        cache.AddPod("default/m", Pod("m", cpu: "0", memory: "4Gi"), "mem-heavy");
        Assert.Equal("mem-heavy", new PodScheduler().Schedule(Pod("p", cpu: "1", memory: "0"), cache).NodeName);
    }

    [Fact]
    public void PreferNoSchedule_taints_are_avoided_unless_tolerated()
    {
        var cache = Cache(Node("soft", taints: [TaintJson("maintenance", "soon", "PreferNoSchedule")]), Node("clean"));
        var scheduler = new PodScheduler();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("clean", scheduler.Schedule(Pod("p"), cache).NodeName);
        }

        var tolerant = new JsonObject { ["tolerations"] = JsonNode.Parse("""[{"key":"maintenance","operator":"Exists","effect":"PreferNoSchedule"}]""") };
        var chosen = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            chosen.Add(scheduler.Schedule(Pod("p", specExtras: tolerant), cache).NodeName!);
        }

        Assert.Equal(["clean", "soft"], chosen.Order());
    }

    [Fact]
    public void Ties_rotate_deterministically()
    {
        NodeSnapshot[] nodes = [Node("n1"), Node("n2"), Node("n3")];
        List<string> Run()
        {
            var cache = Cache(nodes);
            var scheduler = new PodScheduler();
            var names = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                names.Add(scheduler.Schedule(Pod("p"), cache).NodeName!);
            }

            return names;
        }

        var first = Run();
        Assert.Equal(first, Run());
        Assert.Equal(["n1", "n2", "n3"], first.Distinct().Order());
    }

    [Theory]
    [InlineData(0, 50, 50)]
    [InlineData(0, 100, 100)]
    [InlineData(0, 200, 100)]
    [InlineData(0, 1000, 420)]
    [InlineData(0, 5000, 500)]
    [InlineData(0, 6000, 300)]
    [InlineData(0, 100_000, 5000)]
    [InlineData(10, 500, 100)]
    [InlineData(30, 1000, 300)]
    [InlineData(100, 1000, 1000)]
    public void Feasible_nodes_to_find(int percentage, int nodes, int expected)
    {
        Assert.Equal(expected, PodScheduler.NumFeasibleNodesToFind(percentage, nodes));
    }

    [Fact]
    public void The_search_stops_once_enough_nodes_fit_and_resumes_where_it_stopped()
    {
        var cache = new SchedulerCache();
        for (var i = 0; i < 1000; i++)
        {
            cache.AddOrUpdateNode(Node($"n{i:D4}"));
        }

        var scheduler = new PodScheduler();
        var first = scheduler.Schedule(Pod("p"), cache);
        Assert.Equal(420, first.EvaluatedNodes);
        Assert.Equal(420, first.FeasibleNodes);
        var second = scheduler.Schedule(Pod("p"), cache);
        Assert.Equal(420, second.EvaluatedNodes);

        // Every node is alike: the choice falls inside the window searched, and the windows follow each other.
        Assert.InRange(string.CompareOrdinal(first.NodeName, "n0420"), int.MinValue, -1);
        Assert.InRange(string.CompareOrdinal(second.NodeName, "n0420"), 0, int.MaxValue);
        Assert.InRange(string.CompareOrdinal(second.NodeName, "n0840"), int.MinValue, -1);

        var all = new PodScheduler(new PodSchedulerOptions { PercentageOfNodesToScore = 100 }).Schedule(Pod("p"), cache);
        Assert.Equal(1000, all.FeasibleNodes);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PodScheduler(new PodSchedulerOptions { PercentageOfNodesToScore = 101 }));
    }

    [Fact]
    public void A_failed_search_looks_at_every_node()
    {
        var cache = new SchedulerCache();
        for (var i = 0; i < 300; i++)
        {
            cache.AddOrUpdateNode(Node($"n{i:D3}", cpu: "1"));
        }

        var result = new PodScheduler().Schedule(Pod("p", cpu: "2"), cache);
        Assert.Equal(300, result.EvaluatedNodes);
        Assert.Equal("0/300 nodes are available: 300 Insufficient cpu.", result.Message);
    }

    [Fact]
    public void An_early_stop_still_sees_every_zone()
    {
        // Nodes are searched one zone after another in turn, so a window of 100 out of 300 holds all three zones.
        var cache = new SchedulerCache();
        foreach (var zone in new[] { "a", "b", "c" })
        {
            for (var i = 0; i < 100; i++)
            {
                cache.AddOrUpdateNode(Node($"{zone}{i:D3}", zone: zone));
            }
        }

        // This ReplicaSet already has a pod on every node of zones a and c, and none in zone b.
        for (var i = 0; i < 100; i++)
        {
            cache.AddPod($"default/a-{i}", Pod($"a-{i}", ownerUid: "rs"), $"a{i:D3}");
            cache.AddPod($"default/c-{i}", Pod($"c-{i}", ownerUid: "rs"), $"c{i:D3}");
        }

        var scheduler = new PodScheduler(new PodSchedulerOptions { PercentageOfNodesToScore = 10 });
        for (var i = 0; i < 5; i++)
        {
            var result = scheduler.Schedule(Pod("new", ownerUid: "rs"), cache);
            Assert.Equal(100, result.FeasibleNodes);
            Assert.StartsWith("b", result.NodeName, StringComparison.Ordinal);
        }
    }
}
