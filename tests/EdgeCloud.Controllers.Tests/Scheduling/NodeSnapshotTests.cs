using EdgeCloud.Controllers.Scheduling;
using static EdgeCloud.Controllers.Tests.Scheduling.KubeObjects;

namespace EdgeCloud.Controllers.Tests.Scheduling;

public sealed class NodeSnapshotTests
{
    [Fact]
    public void Parses_allocatable_labels_taints_and_zone()
    {
        var node = NodeSnapshot.FromNode(Json("""
            {"metadata":{"name":"edge-1","labels":{"topology.kubernetes.io/zone":"z1","site":"lyon"}},
             "spec":{"taints":[{"key":"dedicated","value":"gpu","effect":"NoSchedule"}]},
             "status":{"capacity":{"cpu":"8","memory":"16Gi","pods":"200"},
                       "allocatable":{"cpu":"3500m","memory":"7Gi","pods":"110","ephemeral-storage":"20G","example.com/gpu":"2","hugepages-2Mi":"64Mi","weird":"5"},
                       "conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}]}}
            """));
        Assert.Equal("edge-1", node.Name);
        Assert.Equal("z1", node.Zone);
        Assert.Equal("lyon", node.Labels["site"]);
        Assert.Equal(3500, node.Allocatable.MilliCpu);
        Assert.Equal(7L * 1024 * 1024 * 1024, node.Allocatable.Memory);
        Assert.Equal(110, node.Allocatable.Pods);
        Assert.Equal(20_000_000_000, node.Allocatable.EphemeralStorage);
        Assert.Equal(2, node.Allocatable.Extended["example.com/gpu"]);
        Assert.Equal(64L * 1024 * 1024, node.Allocatable.Get("hugepages-2Mi"));
        Assert.False(node.Allocatable.Extended.ContainsKey("weird"));
        Assert.Equal(NodeReadyStatus.True, node.Ready);
        Assert.False(node.Unschedulable);
        Assert.Equal([new Taint("dedicated", "gpu", "NoSchedule")], node.Taints);
        Assert.Equal(node.Taints, node.SchedulingTaints);
        // No hostname label: the node's name stands in for spreading.
        Assert.Equal("edge-1", node.Hostname);
        Assert.Equal("edge-1", node.TopologyValue("kubernetes.io/hostname"));
        Assert.Null(node.TopologyValue("kubernetes.io/arch"));
    }

    [Fact]
    public void Capacity_is_used_when_no_allocatable_is_reported()
    {
        var node = NodeSnapshot.FromNode(Json("""{"metadata":{"name":"n"},"status":{"capacity":{"cpu":"2","memory":"1Gi","pods":"10"}}}"""));
        Assert.Equal(2000, node.Allocatable.MilliCpu);
        Assert.Equal(10, node.Allocatable.Pods);
    }

    [Theory]
    [InlineData("False", NodeReadyStatus.False, "node.kubernetes.io/not-ready")]
    [InlineData("Unknown", NodeReadyStatus.Unknown, "node.kubernetes.io/unreachable")]
    public void A_node_that_is_not_ready_is_treated_as_tainted(string status, NodeReadyStatus ready, string taintKey)
    {
        var node = Node("n", ready: status);
        Assert.Equal(ready, node.Ready);
        Assert.Empty(node.Taints);
        Assert.Equal([new Taint(taintKey, "", Taint.NoSchedule)], node.SchedulingTaints);
    }

    [Fact]
    public void The_ready_taint_is_not_doubled_when_the_node_carries_it()
    {
        var node = Node("n", ready: "Unknown", taints: [TaintJson("node.kubernetes.io/unreachable", "", "NoExecute"), TaintJson("node.kubernetes.io/unreachable", "", "NoSchedule")]);
        Assert.Equal(2, node.SchedulingTaints.Count);
    }

    [Fact]
    public void A_node_without_conditions_is_unknown_and_a_cordoned_node_is_unschedulable()
    {
        var node = NodeSnapshot.FromNode(Json("""{"metadata":{"name":"n"},"spec":{"unschedulable":true}}"""));
        Assert.Equal(NodeReadyStatus.Unknown, node.Ready);
        Assert.True(node.Unschedulable);
        Assert.Equal(0, node.Allocatable.Pods);
    }

    [Fact]
    public void Malformed_nodes_are_refused()
    {
        Assert.Throws<FormatException>(() => NodeSnapshot.FromNode(Json("""{"metadata":{}}""")));
        Assert.Throws<FormatException>(() => NodeSnapshot.FromNode(Json("""{"metadata":{"name":"n"},"status":{"allocatable":{"cpu":"lots"}}}""")));
        Assert.Throws<FormatException>(() => NodeSnapshot.FromNode(Json("""{"metadata":{"name":"n"},"spec":{"taints":[{"effect":"NoSchedule"}]}}""")));
    }
}
