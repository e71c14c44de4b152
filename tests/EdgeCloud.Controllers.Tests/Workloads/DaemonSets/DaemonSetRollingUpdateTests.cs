using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Workloads.DaemonSets;
using static EdgeCloud.Controllers.Tests.Workloads.DaemonSets.DaemonSetObjects;

namespace EdgeCloud.Controllers.Tests.Workloads.DaemonSets;

public sealed class DaemonSetRollingUpdateTests
{
    private static DaemonSetPlan Plan(JsonObject ds, JsonObject[] nodes, JsonObject[] pods) =>
        DaemonSetPlanning.Plan(ds, nodes, pods, DaemonSetNodeFit.For(ds), Now);

    private static JsonObject[] Nodes(int count) => Enumerable.Range(1, count).Select(i => Node($"n{i}")).ToArray();

    [Fact]
    public void Old_pods_are_deleted_within_max_unavailable()
    {
        var ds = DaemonSet(image: "agent:2");
        var plan = Plan(ds, Nodes(4), Nodes(4).Select(n => Pod(Name(n), "old")).ToArray());
        Assert.Single(plan.PodsToDelete);
        Assert.Empty(plan.NodesNeedingPods);
        Assert.Equal(0, Int(plan.Status, "updatedNumberScheduled"));
    }

    [Fact]
    public void A_node_waiting_for_its_new_pod_uses_up_the_budget()
    {
        var ds = DaemonSet(image: "agent:2");
        var hash = DaemonSetPlanning.Hash(ds);
        var pods = new[] { Pod("n1", hash, ready: false), Pod("n2", "old"), Pod("n3", "old") };
        Assert.Empty(Plan(ds, Nodes(3), pods).PodsToDelete);

        // Once the new pod is available the next old pod goes.
        pods[0] = Pod("n1", hash);
        var next = Plan(ds, Nodes(3), pods);
        Assert.Single(next.PodsToDelete);
        Assert.Equal(1, Int(next.Status, "updatedNumberScheduled"));
    }

    [Fact]
    public void A_node_without_any_pod_counts_as_unavailable()
    {
        var ds = DaemonSet(image: "agent:2");
        ds["spec"]!["updateStrategy"] = Rolling(maxUnavailable: 2, maxSurge: null);
        // n3 has no pod, so the sync creates one first and rolls afterwards.
        var first = Plan(ds, Nodes(3), [Pod("n1", "old"), Pod("n2", "old")]);
        Assert.Equal(["n3"], first.NodesNeedingPods);
        Assert.Empty(first.PodsToDelete);
    }

    [Fact]
    public void Old_pods_that_are_not_available_may_always_be_replaced()
    {
        var ds = DaemonSet(image: "agent:2");
        var broken1 = Pod("n1", "old", ready: false);
        var broken2 = Pod("n2", "old", ready: false);
        var plan = Plan(ds, Nodes(4), [broken1, broken2, Pod("n3", "old"), Pod("n4", "old")]);
        // Both broken ones are replaced although that exceeds maxUnavailable=1; no healthy one is touched.
        Assert.Equal(Names([broken1, broken2]), Names(plan.PodsToDelete));
    }

    [Fact]
    public void A_broken_old_pod_uses_up_part_of_the_budget()
    {
        var ds = DaemonSet(image: "agent:2", strategy: Rolling(maxUnavailable: JsonValue.Create(2), maxSurge: JsonValue.Create(0)));
        var broken = Pod("n1", "old", ready: false);
        var healthy = new[] { Pod("n2", "old"), Pod("n3", "old"), Pod("n4", "old") };
        var plan = Plan(ds, Nodes(4), [broken, .. healthy]);
        Assert.Equal(2, plan.PodsToDelete.Count);
        Assert.Contains(broken, plan.PodsToDelete);
    }

    [Theory]
    [InlineData("50%", 3, 2)]
    [InlineData("25%", 10, 3)]
    [InlineData("0%", 3, 1)]
    public void Percentages_round_up_and_zero_means_one(string maxUnavailable, int nodes, int deleted)
    {
        var ds = DaemonSet(image: "agent:2", strategy: Rolling(maxUnavailable: JsonValue.Create(maxUnavailable), maxSurge: JsonValue.Create(0)));
        var plan = Plan(ds, Nodes(nodes), Nodes(nodes).Select(n => Pod(Name(n), "old")).ToArray());
        Assert.Equal(deleted, plan.PodsToDelete.Count);
    }

    [Fact]
    public void On_delete_strategy_never_replaces_old_pods()
    {
        var ds = DaemonSet(image: "agent:2", strategy: new JsonObject { ["type"] = "OnDelete" });
        var plan = Plan(ds, Nodes(3), Nodes(3).Select(n => Pod(Name(n), "old")).ToArray());
        Assert.Empty(plan.PodsToDelete);
        // A node that lost its pod still gets the new template.
        var refill = Plan(ds, Nodes(3), [Pod("n1", "old"), Pod("n2", "old")]);
        Assert.Equal(DaemonSetPlanning.Hash(ds), refill.PodsToCreate.Single()["metadata"]!["labels"]!["controller-revision-hash"]!.GetValue<string>());
    }

    [Fact]
    public void Rolling_waits_while_the_sync_has_other_work()
    {
        var ds = DaemonSet(image: "agent:2");
        var failed = Pod("n3", "old", phase: "Failed");
        var plan = Plan(ds, Nodes(3), [Pod("n1", "old"), Pod("n2", "old"), failed]);
        Assert.Equal([Name(failed)], Names(plan.PodsToDelete));
    }

    [Fact]
    public void With_surge_a_new_pod_starts_beside_the_old_one()
    {
        var ds = DaemonSet(image: "agent:2", strategy: Rolling(maxUnavailable: JsonValue.Create(0), maxSurge: JsonValue.Create(1)));
        var hash = DaemonSetPlanning.Hash(ds);
        var plan = Plan(ds, Nodes(3), [Pod("n1", "old"), Pod("n2", "old"), Pod("n3", "old")]);
        Assert.Equal(["n1"], plan.NodesNeedingPods);
        Assert.Empty(plan.PodsToDelete);

        // While the new pod on n1 is not available, the old one stays and no other node surges.
        var waiting = Plan(ds, Nodes(3), [Pod("n1", "old"), Pod("n1", hash, ready: false, created: Now), Pod("n2", "old"), Pod("n3", "old")]);
        Assert.Empty(waiting.NodesNeedingPods);
        Assert.Empty(waiting.PodsToDelete);
    }

    [Fact]
    public void With_surge_the_old_pod_goes_once_the_new_one_is_available()
    {
        var ds = DaemonSet(image: "agent:2", strategy: Rolling(maxUnavailable: JsonValue.Create(0), maxSurge: JsonValue.Create(1)));
        var hash = DaemonSetPlanning.Hash(ds);
        var old = Pod("n1", "old", created: Now.AddHours(-1));
        var plan = Plan(ds, Nodes(2), [old, Pod("n1", hash, created: Now.AddMinutes(-25)), Pod("n2", "old")]);
        Assert.Equal([Name(old)], Names(plan.PodsToDelete));
        Assert.Empty(plan.NodesNeedingPods);
    }

    [Fact]
    public void With_surge_an_unavailable_old_pod_is_replaced_at_once()
    {
        var ds = DaemonSet(image: "agent:2", strategy: Rolling(maxUnavailable: JsonValue.Create(0), maxSurge: JsonValue.Create(1)));
        var plan = Plan(ds, Nodes(3), [Pod("n1", "old"), Pod("n2", "old", ready: false), Pod("n3", "old", ready: false)]);
        Assert.Equal(["n2", "n3", "n1"], plan.NodesNeedingPods);
    }

    [Fact]
    public void With_surge_an_old_pod_that_is_not_ready_goes_when_a_new_one_exists()
    {
        var ds = DaemonSet(image: "agent:2", strategy: Rolling(maxUnavailable: JsonValue.Create(0), maxSurge: JsonValue.Create(1)));
        var hash = DaemonSetPlanning.Hash(ds);
        var oldNotReady = Pod("n1", "old", ready: false, created: Now.AddHours(-1));
        var plan = Plan(ds, Nodes(1), [oldNotReady, Pod("n1", hash, ready: false, created: Now)]);
        Assert.Equal([Name(oldNotReady)], Names(plan.PodsToDelete));
    }

    [Fact]
    public void Rollout_finishes_when_every_node_runs_an_available_new_pod()
    {
        var ds = DaemonSet(image: "agent:2", generation: 2);
        var hash = DaemonSetPlanning.Hash(ds);
        var plan = Plan(ds, Nodes(3), Nodes(3).Select(n => Pod(Name(n), hash)).ToArray());
        Assert.Empty(plan.PodsToDelete);
        Assert.Empty(plan.NodesNeedingPods);
        // kubectl rollout status: observedGeneration >= generation, updated == desired, available == desired.
        Assert.Equal(2L, plan.Status["observedGeneration"]!.GetValue<long>());
        Assert.Equal(3, Int(plan.Status, "updatedNumberScheduled"));
        Assert.Equal(3, Int(plan.Status, "numberAvailable"));
        Assert.Equal(3, Int(plan.Status, "desiredNumberScheduled"));
    }

    [Fact]
    public void With_surge_a_node_whose_pod_is_terminating_gets_a_new_one_at_once()
    {
        var ds = DaemonSet(image: "agent:2", strategy: Rolling(maxUnavailable: JsonValue.Create(0), maxSurge: JsonValue.Create(1)));
        var withSurge = Plan(ds, Nodes(1), [Pod("n1", "old", terminating: true)]);
        Assert.Equal(["n1"], withSurge.NodesNeedingPods);

        var withoutSurge = Plan(DaemonSet(image: "agent:2"), Nodes(1), [Pod("n1", "old", terminating: true)]);
        Assert.Empty(withoutSurge.NodesNeedingPods);
    }
}
