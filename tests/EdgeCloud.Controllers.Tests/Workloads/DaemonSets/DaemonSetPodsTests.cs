using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Workloads;
using EdgeCloud.Controllers.Workloads.DaemonSets;
using static EdgeCloud.Controllers.Tests.Workloads.DaemonSets.DaemonSetObjects;

namespace EdgeCloud.Controllers.Tests.Workloads.DaemonSets;

public sealed class DaemonSetPodsTests
{
    [Fact]
    public void Pod_names_its_node_through_required_affinity_on_metadata_name()
    {
        var ds = DaemonSet();
        ds["spec"]!["template"]!["spec"]!["affinity"] = JsonNode.Parse("""
            {"nodeAffinity": {
               "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "site", "operator": "Exists"}]}]},
               "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1, "preference": {"matchExpressions": [{"key": "ssd", "operator": "Exists"}]}}]}}
            """);
        var pod = DaemonSetPods.Build(ds, "edge-7", "abc12");

        var terms = pod["spec"]!["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]!.AsArray();
        var field = Assert.Single(Assert.Single(terms)!["matchFields"]!.AsArray())!;
        Assert.Equal("metadata.name", field["key"]!.GetValue<string>());
        Assert.Equal("In", field["operator"]!.GetValue<string>());
        Assert.Equal("edge-7", Assert.Single(field["values"]!.AsArray())!.GetValue<string>());
        Assert.Null(terms[0]!["matchExpressions"]);
        Assert.NotNull(pod["spec"]!["affinity"]!["nodeAffinity"]!["preferredDuringSchedulingIgnoredDuringExecution"]);
        Assert.Null(pod["spec"]!["nodeName"]);
        Assert.Equal("edge-7", DaemonSetPods.TargetNode(pod));
    }

    [Fact]
    public void Pod_is_labelled_with_hash_and_generation_and_owned_by_the_daemon_set()
    {
        var pod = DaemonSetPods.Build(DaemonSet(generation: 4), "edge-1", "abc12");
        var labels = pod["metadata"]!["labels"]!;
        Assert.Equal("logs", labels["app"]!.GetValue<string>());
        Assert.Equal("abc12", labels["controller-revision-hash"]!.GetValue<string>());
        Assert.Equal("4", labels["pod-template-generation"]!.GetValue<string>());
        Assert.Equal("logs-", pod["metadata"]!["generateName"]!.GetValue<string>());
        Assert.Equal("kube-system", pod["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal("ds-uid-1", ControllerRefs.ControllerUid(pod));
        Assert.Equal("DaemonSet", ControllerRefs.Controller(pod)!["kind"]!.GetValue<string>());
        Assert.True(DaemonSetPods.IsUpdated(pod, "abc12"));
        Assert.False(DaemonSetPods.IsUpdated(pod, "zzz"));
    }

    [Fact]
    public void Pod_tolerates_an_unreachable_node_forever_so_edge_links_may_drop()
    {
        var ds = DaemonSet();
        ds["spec"]!["template"]!["spec"]!["tolerations"] = JsonNode.Parse("""
            [{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
             {"key": "dedicated", "operator": "Equal", "value": "edge", "effect": "NoSchedule"}]
            """);
        var tolerations = DaemonSetPods.Build(ds, "edge-1", "h")["spec"]!["tolerations"]!.AsArray().Select(t => t!.AsObject()).ToList();

        var unreachable = Assert.Single(tolerations, t => t["key"]!.GetValue<string>() == "node.kubernetes.io/unreachable");
        Assert.Equal("Exists", unreachable["operator"]!.GetValue<string>());
        Assert.Null(unreachable["tolerationSeconds"]);
        Assert.Contains(tolerations, t => t["key"]!.GetValue<string>() == "node.kubernetes.io/not-ready" && t["effect"]!.GetValue<string>() == "NoExecute");
        foreach (var pressure in new[] { "disk-pressure", "memory-pressure", "pid-pressure", "unschedulable" })
        {
            Assert.Contains(tolerations, t => t["key"]!.GetValue<string>() == "node.kubernetes.io/" + pressure && t["effect"]!.GetValue<string>() == "NoSchedule");
        }

        Assert.Contains(tolerations, t => t["key"]!.GetValue<string>() == "dedicated");
        Assert.DoesNotContain(tolerations, t => t["key"]!.GetValue<string>() == "node.kubernetes.io/network-unavailable");
    }

    [Fact]
    public void Host_network_daemons_also_tolerate_an_unavailable_network()
    {
        var ds = DaemonSet();
        ds["spec"]!["template"]!["spec"]!["hostNetwork"] = true;
        var tolerations = DaemonSetPods.Build(ds, "edge-1", "h")["spec"]!["tolerations"]!.AsArray();
        Assert.Contains(tolerations, t => t!["key"]!.GetValue<string>() == "node.kubernetes.io/network-unavailable");
    }

    [Fact]
    public void Target_node_is_the_bound_node_first()
    {
        var pod = Pod("edge-2", "h");
        pod["spec"]!["nodeName"] = "edge-3";
        Assert.Equal("edge-3", DaemonSetPods.TargetNode(pod));
        Assert.Equal("edge-2", DaemonSetPods.TargetNode(Pod("edge-2", "h", bound: false)));
        Assert.Null(DaemonSetPods.TargetNode(new JsonObject { ["spec"] = new JsonObject() }));
    }

    [Fact]
    public void Hash_follows_the_template_and_the_collision_count()
    {
        var ds = DaemonSet();
        var hash = DaemonSetPlanning.Hash(ds);
        Assert.Equal(hash, DaemonSetPlanning.Hash(DaemonSet()));
        Assert.Equal(PodTemplateHash.Compute(ds["spec"]!["template"]!.AsObject(), null), hash);
        Assert.NotEqual(hash, DaemonSetPlanning.Hash(DaemonSet(image: "fluent/fluent-bit:3.1")));
        ds["status"] = new JsonObject { ["collisionCount"] = 1 };
        Assert.NotEqual(hash, DaemonSetPlanning.Hash(ds));
    }
}
