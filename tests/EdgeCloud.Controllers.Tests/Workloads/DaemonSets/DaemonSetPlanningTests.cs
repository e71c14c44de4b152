using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Workloads.DaemonSets;
using static EdgeCloud.Controllers.Tests.Workloads.DaemonSets.DaemonSetObjects;

namespace EdgeCloud.Controllers.Tests.Workloads.DaemonSets;

public sealed class DaemonSetPlanningTests
{
    private static DaemonSetPlan Plan(JsonObject ds, JsonObject[] nodes, JsonObject[] pods, DateTimeOffset? now = null, FailedPodBackoff? backoff = null) =>
        DaemonSetPlanning.Plan(ds, nodes, pods, DaemonSetNodeFit.For(ds), now ?? Now, backoff);

    [Fact]
    public void Labelled_nodes_without_a_pod_get_one()
    {
        var ds = DaemonSet(nodeSelector: "site=store");
        var hash = DaemonSetPlanning.Hash(ds);
        var nodes = new[] { Node("s1", "site=store"), Node("s2", "site=store"), Node("office", "site=office"), Node("s3", "site=store") };
        var plan = Plan(ds, nodes, [Pod("s2", hash)]);

        Assert.Equal(["s1", "s3"], plan.NodesNeedingPods);
        Assert.Equal(["s1", "s3"], plan.PodsToCreate.Select(DaemonSetPods.TargetNode));
        Assert.All(plan.PodsToCreate, p => Assert.Equal(hash, p["metadata"]!["labels"]!["controller-revision-hash"]!.GetValue<string>()));
        Assert.Empty(plan.PodsToDelete);
        Assert.Equal(3, Int(plan.Status, "desiredNumberScheduled"));
        Assert.Equal(1, Int(plan.Status, "currentNumberScheduled"));
        Assert.Equal(0, Int(plan.Status, "numberMisscheduled"));
    }

    [Fact]
    public void A_node_added_later_gets_its_pod()
    {
        var ds = DaemonSet(nodeSelector: "site=store");
        var hash = DaemonSetPlanning.Hash(ds);
        Assert.Empty(Plan(ds, [Node("s1", "site=store")], [Pod("s1", hash)]).NodesNeedingPods);
        Assert.Equal(["s9"], Plan(ds, [Node("s1", "site=store"), Node("s9", "site=store")], [Pod("s1", hash)]).NodesNeedingPods);
    }

    [Fact]
    public void Pod_on_a_node_that_no_longer_qualifies_is_deleted_and_counted_misscheduled()
    {
        var ds = DaemonSet(nodeSelector: "site=store");
        var hash = DaemonSetPlanning.Hash(ds);
        var stray = Pod("was-store", hash);
        var plan = Plan(ds, [Node("was-store", "site=office"), Node("s1", "site=store")], [stray, Pod("s1", hash)]);

        Assert.Equal([Name(stray)], Names(plan.PodsToDelete));
        Assert.Empty(plan.NodesNeedingPods);
        Assert.Equal(1, Int(plan.Status, "numberMisscheduled"));
        Assert.Equal(1, Int(plan.Status, "desiredNumberScheduled"));
    }

    [Fact]
    public void A_no_schedule_taint_keeps_the_pod_and_adds_none()
    {
        var ds = DaemonSet();
        var hash = DaemonSetPlanning.Hash(ds);
        var tainted = Node("t", null, ("node.kubernetes.io/unreachable", "NoSchedule"));
        var keep = Pod("t", hash);
        var plan = Plan(ds, [tainted, Node("fresh", null, ("node.kubernetes.io/unreachable", "NoSchedule"))], [keep]);
        Assert.Empty(plan.PodsToDelete);
        Assert.Empty(plan.NodesNeedingPods);
        Assert.Equal(0, Int(plan.Status, "desiredNumberScheduled"));
        Assert.Equal(1, Int(plan.Status, "numberMisscheduled"));
    }

    [Fact]
    public void Extra_pods_on_a_node_go_and_the_oldest_bound_one_stays()
    {
        var ds = DaemonSet();
        var hash = DaemonSetPlanning.Hash(ds);
        var oldest = Pod("n1", hash, created: Now.AddHours(-2));
        var younger = Pod("n1", hash, created: Now.AddHours(-1));
        var olderButUnbound = Pod("n1", hash, created: Now.AddHours(-3), bound: false);
        var plan = Plan(ds, [Node("n1")], [younger, olderButUnbound, oldest]);
        Assert.Equal(Names([younger, olderButUnbound]), Names(plan.PodsToDelete));
        Assert.Equal(1, Int(plan.Status, "currentNumberScheduled"));
    }

    [Fact]
    public void Failed_and_succeeded_pods_are_deleted_and_failed_ones_reported()
    {
        var ds = DaemonSet();
        var hash = DaemonSetPlanning.Hash(ds);
        var failed = Pod("n1", hash, phase: "Failed", ready: false);
        var succeeded = Pod("n2", hash, phase: "Succeeded", ready: false);
        var plan = Plan(ds, [Node("n1"), Node("n2")], [failed, succeeded]);
        Assert.Equal(Names([failed, succeeded]), Names(plan.PodsToDelete));
        Assert.Equal([Name(failed)], Names(plan.FailedPods));
        // The replacement comes once the deletion is observed, not in the same sync.
        Assert.Empty(plan.NodesNeedingPods);
    }

    [Fact]
    public void Failed_pod_replacements_back_off_per_node()
    {
        var ds = DaemonSet();
        var hash = DaemonSetPlanning.Hash(ds);
        var backoff = new FailedPodBackoff();
        Assert.Single(Plan(ds, [Node("n1")], [Pod("n1", hash, phase: "Failed")], Now, backoff).PodsToDelete);

        var again = Plan(ds, [Node("n1")], [Pod("n1", hash, phase: "Failed")], Now.AddMilliseconds(400), backoff);
        Assert.Empty(again.PodsToDelete);
        Assert.Equal(TimeSpan.FromMilliseconds(600), again.RequeueAfter);

        Assert.Single(Plan(ds, [Node("n1")], [Pod("n1", hash, phase: "Failed")], Now.AddSeconds(1), backoff).PodsToDelete);
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Remaining(FailedPodBackoff.Key("ds-uid-1", "n1"), Now.AddSeconds(1)));
    }

    [Fact]
    public void A_terminating_pod_is_not_replaced_until_it_is_gone()
    {
        var ds = DaemonSet();
        var hash = DaemonSetPlanning.Hash(ds);
        var plan = Plan(ds, [Node("n1")], [Pod("n1", hash, terminating: true)]);
        Assert.Empty(plan.NodesNeedingPods);
        Assert.Empty(plan.PodsToDelete);
    }

    [Fact]
    public void Pods_for_nodes_that_are_gone_are_deleted()
    {
        var ds = DaemonSet();
        var hash = DaemonSetPlanning.Hash(ds);
        var orphanUnbound = Pod("gone", hash, bound: false);
        var orphanBound = Pod("gone-too", hash);
        var plan = Plan(ds, [Node("n1")], [Pod("n1", hash), orphanUnbound, orphanBound]);
        Assert.Equal(Names([orphanUnbound, orphanBound]), Names(plan.PodsToDelete));
    }

    [Fact]
    public void Status_counts_ready_available_and_updated_nodes_as_rollout_status_reads_them()
    {
        var ds = DaemonSet(minReadySeconds: 30, generation: 3);
        var hash = DaemonSetPlanning.Hash(ds);
        var nodes = new[] { Node("a"), Node("b"), Node("c"), Node("d") };
        var pods = new[]
        {
            Pod("a", hash, readySince: Now.AddMinutes(-5)),
            Pod("b", hash, readySince: Now.AddSeconds(-10)),
            Pod("c", "old-hash", readySince: Now.AddMinutes(-5)),
            Pod("d", hash, ready: false),
        };
        var plan = Plan(ds, nodes, pods);
        var status = plan.Status;
        Assert.Equal(4, Int(status, "desiredNumberScheduled"));
        Assert.Equal(4, Int(status, "currentNumberScheduled"));
        Assert.Equal(3, Int(status, "numberReady"));
        Assert.Equal(2, Int(status, "numberAvailable"));
        Assert.Equal(2, Int(status, "numberUnavailable"));
        Assert.Equal(3, Int(status, "updatedNumberScheduled"));
        Assert.Equal(3L, status["observedGeneration"]!.GetValue<long>());
        // b turns available 20 s from now: sync again then, without waiting for an event.
        Assert.Equal(TimeSpan.FromSeconds(20), plan.RequeueAfter);
    }

    [Fact]
    public void Status_keeps_the_collision_count_and_skips_finished_pods_being_deleted()
    {
        var ds = DaemonSet();
        ds["status"] = new JsonObject { ["collisionCount"] = 2, ["numberReady"] = 9 };
        var hash = DaemonSetPlanning.Hash(ds);
        var plan = Plan(ds, [Node("a")], [Pod("a", hash, phase: "Failed", terminating: true)]);
        Assert.Equal(2, Int(plan.Status, "collisionCount"));
        Assert.Equal(0, Int(plan.Status, "currentNumberScheduled"));
        Assert.Equal(0, Int(plan.Status, "numberReady"));
        Assert.Null(plan.RequeueAfter);
    }

    [Fact]
    public void Objects_read_from_the_wire_and_built_in_memory_plan_alike()
    {
        var built = DaemonSet(generation: 7);
        built["metadata"]!["generation"] = 7;
        built["status"] = new JsonObject { ["collisionCount"] = 1 };
        var parsed = JsonNode.Parse(built.ToJsonString())!.AsObject();
        Assert.Equal(DaemonSetPlanning.Hash(built), DaemonSetPlanning.Hash(parsed));
        var fromWire = Plan(parsed, [Node("a")], []);
        var inMemory = Plan(built, [Node("a")], []);
        Assert.Equal(7L, fromWire.Status["observedGeneration"]!.GetValue<long>());
        Assert.Equal(7L, inMemory.Status["observedGeneration"]!.GetValue<long>());
        Assert.Equal("7", inMemory.PodsToCreate[0]["metadata"]!["labels"]!["pod-template-generation"]!.GetValue<string>());
    }
}
