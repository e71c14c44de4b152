using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Workloads.DaemonSets;
using static EdgeCloud.Controllers.Tests.Workloads.DaemonSets.DaemonSetObjects;

namespace EdgeCloud.Controllers.Tests.Workloads.DaemonSets;

public sealed class DaemonSetNodeFitTests
{
    [Fact]
    public void Node_selector_picks_the_sites()
    {
        var fit = DaemonSetNodeFit.For(DaemonSet(nodeSelector: "site=store"));
        Assert.Equal(NodeFit.Fits, fit(Node("a", "site=store")));
        Assert.Equal(NodeFit.DoesNotFit, fit(Node("b", "site=office")));
        Assert.Equal(NodeFit.DoesNotFit, fit(Node("c")));
    }

    [Fact]
    public void Untolerated_no_schedule_taint_keeps_running_pods_but_places_no_new_ones()
    {
        var fit = DaemonSetNodeFit.For(DaemonSet());
        Assert.Equal(new NodeFit(ShouldRun: false, ShouldContinueRunning: true), fit(Node("a", null, ("dedicated", "NoSchedule"))));
        Assert.Equal(NodeFit.DoesNotFit, fit(Node("b", null, ("dedicated", "NoExecute"))));
        Assert.Equal(NodeFit.Fits, fit(Node("c", null, ("dedicated", "PreferNoSchedule"))));
    }

    [Fact]
    public void A_node_that_lost_its_link_keeps_its_daemon()
    {
        // The node lifecycle taints a silent node unreachable:NoSchedule and (when eviction is on) NoExecute.
        var fit = DaemonSetNodeFit.For(DaemonSet());
        var silent = Node("edge-1", null, ("node.kubernetes.io/unreachable", "NoSchedule"), ("node.kubernetes.io/unreachable", "NoExecute"));
        Assert.Equal(new NodeFit(ShouldRun: false, ShouldContinueRunning: true), fit(silent));
        Assert.Equal(NodeFit.Fits, fit(Node("edge-2", null, ("node.kubernetes.io/disk-pressure", "NoSchedule"))));
    }

    [Fact]
    public void Template_tolerations_count()
    {
        var ds = DaemonSet();
        ds["spec"]!["template"]!["spec"]!["tolerations"] = JsonNode.Parse("""[{"key":"dedicated","operator":"Exists"}]""");
        var fit = DaemonSetNodeFit.For(ds);
        Assert.Equal(NodeFit.Fits, fit(Node("a", null, ("dedicated", "NoExecute"))));
        Assert.Equal(NodeFit.DoesNotFit, fit(Node("b", null, ("other", "NoExecute"))));
    }

    [Fact]
    public void Required_node_affinity_terms_are_ored_and_expressions_anded()
    {
        var ds = DaemonSet();
        ds["spec"]!["template"]!["spec"]!["affinity"] = JsonNode.Parse("""
            {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
              {"matchExpressions": [{"key": "site", "operator": "In", "values": ["store", "depot"]}, {"key": "retired", "operator": "DoesNotExist"}]},
              {"matchExpressions": [{"key": "cores", "operator": "Gt", "values": ["8"]}]},
              {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["special"]}]}
            ]}}}
            """);
        var fit = DaemonSetNodeFit.For(ds);
        Assert.True(fit(Node("a", "site=depot")).ShouldRun);
        var retired = Node("b", "site=store");
        retired["metadata"]!["labels"]!["retired"] = "yes";
        Assert.False(fit(retired).ShouldRun);
        Assert.True(fit(Node("c", "cores=16")).ShouldRun);
        Assert.False(fit(Node("d", "cores=4")).ShouldRun);
        Assert.True(fit(Node("special")).ShouldRun);
        Assert.False(fit(Node("plain")).ShouldContinueRunning);
    }

    [Fact]
    public void Template_node_name_pins_the_daemon()
    {
        var ds = DaemonSet();
        ds["spec"]!["template"]!["spec"]!["nodeName"] = "only";
        var fit = DaemonSetNodeFit.For(ds);
        Assert.True(fit(Node("only")).ShouldRun);
        Assert.False(fit(Node("other")).ShouldRun);
    }
}
