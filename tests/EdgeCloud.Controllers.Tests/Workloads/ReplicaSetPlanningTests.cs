using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Workloads;
using static EdgeCloud.Controllers.Tests.Workloads.WorkloadObjects;

namespace EdgeCloud.Controllers.Tests.Workloads;

public sealed class ReplicaSetPlanningTests
{
    private static JsonObject Set(int replicas, int minReadySeconds = 0, long generation = 4)
    {
        var rs = ReplicaSet("nginx:1", replicas, hash: "abc");
        rs["metadata"]!["uid"] = "rs-uid";
        rs["metadata"]!["generation"] = generation;
        if (minReadySeconds > 0)
        {
            rs["spec"]!["minReadySeconds"] = minReadySeconds;
        }

        return rs;
    }

    [Fact]
    public void Missing_pods_are_created_in_bursts_of_at_most_500()
    {
        var scale = ReplicaSetPlanning.Scale(Set(3), [Pod("a")]);
        Assert.Equal(2, scale.Create);
        Assert.Empty(scale.Delete);
        Assert.Equal(-2, scale.Diff);
        Assert.Equal(500, ReplicaSetPlanning.Scale(Set(1200), []).Create);
        var even = ReplicaSetPlanning.Scale(Set(1), [Pod("a")]);
        Assert.Equal(0, even.Create);
        Assert.Empty(even.Delete);
    }

    [Fact]
    public void Only_active_pods_the_set_controls_count()
    {
        var pods = new[]
        {
            Pod("mine"),
            Pod("other", ownerUid: "rs-other"),
            Pod("done", phase: "Succeeded", ready: false),
            Pod("failed", phase: "Failed", ready: false),
            Pod("going", terminating: true),
        };
        Assert.Equal(["mine"], ReplicaSetPlanning.ActivePods(Set(1), pods).Select(Name));
    }

    [Fact]
    public void Surplus_pods_are_deleted_worst_first()
    {
        var pods = new[]
        {
            Pod("old-ready", readySince: Now.AddMinutes(-50), createdMinutesAgo: 60),
            Pod("unscheduled", phase: "Pending", ready: false, nodeName: null),
            Pod("recently-ready", readySince: Now.AddMinutes(-1), createdMinutesAgo: 60),
            Pod("pending", phase: "Pending", ready: false),
            Pod("unknown", phase: "Unknown", ready: false),
            Pod("running-not-ready", ready: false),
        };
        var scale = ReplicaSetPlanning.Scale(Set(1), pods);
        Assert.Equal(5, scale.Diff);
        Assert.Equal(["unscheduled", "pending", "unknown", "running-not-ready", "recently-ready"], scale.Delete.Select(Name));
    }

    [Fact]
    public void Ties_go_to_more_restarts_then_to_the_newer_pod()
    {
        var since = Now.AddMinutes(-5);
        var pods = new[]
        {
            Pod("older", readySince: since, createdMinutesAgo: 30),
            Pod("newer", readySince: since, createdMinutesAgo: 10),
            Pod("crashy", readySince: since, createdMinutesAgo: 40, restarts: 3),
        };
        Assert.Equal(["crashy", "newer"], ReplicaSetPlanning.PodsToDelete(pods, 2).Select(Name));
        Assert.Equal(["crashy"], ReplicaSetPlanning.PodsToDelete(pods, 1).Select(Name));
        Assert.Empty(ReplicaSetPlanning.PodsToDelete(pods, 0));
    }

    [Fact]
    public void Lower_pod_deletion_cost_goes_first()
    {
        var since = Now.AddMinutes(-5);
        var pods = new[]
        {
            Pod("cheap-old", readySince: Now.AddMinutes(-50), createdMinutesAgo: 60, deletionCost: -10),
            Pod("default", readySince: since),
            Pod("dear", readySince: Now.AddMinutes(-1), deletionCost: 100),
        };
        Assert.Equal(["cheap-old", "default"], ReplicaSetPlanning.PodsToDelete(pods, 2).Select(Name));
    }

    [Fact]
    public void Pods_doubled_up_on_a_node_go_before_lone_ones()
    {
        var since = Now.AddMinutes(-5);
        var pods = new[]
        {
            Pod("alone", readySince: since, nodeName: "node-1", createdMinutesAgo: 1),
            Pod("crowded", readySince: since, nodeName: "node-2", createdMinutesAgo: 30),
        };
        // Another set of the same Deployment also runs on node-2.
        var related = new[] { pods[0], pods[1], Pod("sibling", ownerUid: "rs-other", nodeName: "node-2") };
        Assert.Equal(["crowded"], ReplicaSetPlanning.PodsToDelete(pods, 1, related).Select(Name));
        Assert.Equal(["alone"], ReplicaSetPlanning.PodsToDelete(pods, 1).Select(Name));
        Assert.Equal(["crowded"], ReplicaSetPlanning.Scale(Set(1), pods, related).Delete.Select(Name));
    }

    [Fact]
    public void Status_counts_labelled_ready_and_available_pods()
    {
        var rs = Set(4, minReadySeconds: 30);
        var stray = Pod("stray", readySince: Now.AddMinutes(-10));
        (stray["metadata"]!["labels"] as JsonObject)!.Remove("app");
        var pods = new[]
        {
            Pod("long-ready", readySince: Now.AddMinutes(-10)),
            Pod("just-ready", readySince: Now.AddSeconds(-10)),
            Pod("not-ready", ready: false),
            stray,
        };
        var report = ReplicaSetPlanning.Status(rs, pods, scaleError: null, Now);
        Assert.Equal(4, report.Status["replicas"]!.GetValue<int>());
        Assert.Equal(3, report.Status["fullyLabeledReplicas"]!.GetValue<int>());
        Assert.Equal(3, report.Status["readyReplicas"]!.GetValue<int>());
        Assert.Equal(2, report.Status["availableReplicas"]!.GetValue<int>());
        Assert.Equal(4, report.Status["observedGeneration"]!.GetValue<int>());
        Assert.True(report.Changed);
        // The just-ready pod becomes available 30 s after it turned ready: the caller's timer.
        Assert.Equal(Now.AddSeconds(20), report.RecheckAt);
    }

    [Fact]
    public void Unchanged_status_needs_no_write_and_zero_counts_are_omitted()
    {
        var rs = Set(0);
        var first = ReplicaSetPlanning.Status(rs, [], null, Now);
        Assert.Equal(0, first.Status["replicas"]!.GetValue<int>());
        Assert.False(first.Status.ContainsKey("readyReplicas"));
        Assert.Null(first.RecheckAt);
        rs["status"] = first.Status.DeepClone();
        Assert.False(ReplicaSetPlanning.Status(rs, [], null, Now.AddMinutes(1)).Changed);
    }

    [Fact]
    public void Failed_creates_raise_ReplicaFailure_once_and_a_clean_sync_clears_it()
    {
        var rs = Set(3);
        var failed = ReplicaSetPlanning.Status(rs, [Pod("a")], "pods \"web-abc-x\" is forbidden: exceeded quota", Now);
        var condition = Condition(failed.Status, "ReplicaFailure")!;
        Assert.Equal("True", condition["status"]!.GetValue<string>());
        Assert.Equal("FailedCreate", condition["reason"]!.GetValue<string>());
        Assert.Equal("pods \"web-abc-x\" is forbidden: exceeded quota", condition["message"]!.GetValue<string>());
        Assert.Equal(Time(Now), condition["lastTransitionTime"]!.GetValue<string>());

        rs["status"] = failed.Status.DeepClone();
        var again = ReplicaSetPlanning.Status(rs, [Pod("a")], "another error", Now.AddMinutes(5));
        Assert.False(again.Changed);
        Assert.Single((again.Status["conditions"] as JsonArray)!);

        var clean = ReplicaSetPlanning.Status(rs, [Pod("a")], null, Now.AddMinutes(6));
        Assert.Null(Condition(clean.Status, "ReplicaFailure"));
        Assert.True(clean.Changed);
    }

    [Fact]
    public void Failed_deletes_are_reported_as_FailedDelete()
    {
        var report = ReplicaSetPlanning.Status(Set(1), [Pod("a"), Pod("b")], "connection refused", Now);
        Assert.Equal("FailedDelete", Condition(report.Status, "ReplicaFailure")!["reason"]!.GetValue<string>());
    }
}
