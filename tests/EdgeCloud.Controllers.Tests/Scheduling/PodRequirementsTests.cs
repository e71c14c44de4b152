using EdgeCloud.Controllers.Scheduling;
using static EdgeCloud.Controllers.Tests.Scheduling.KubeObjects;

namespace EdgeCloud.Controllers.Tests.Scheduling;

public sealed class PodRequirementsTests
{
    private const long Mi = 1024 * 1024;

    [Fact]
    public void Containers_requests_are_summed_and_the_pod_counts_one()
    {
        var pod = PodWithSpec("""
            {"containers":[
              {"name":"a","resources":{"requests":{"cpu":"250m","memory":"64Mi","ephemeral-storage":"1Gi","example.com/gpu":"1"}}},
              {"name":"b","resources":{"requests":{"cpu":"0.5","memory":"128Mi","example.com/gpu":"2"}}}]}
            """);
        Assert.Equal(750, pod.Requests.MilliCpu);
        Assert.Equal(192 * Mi, pod.Requests.Memory);
        Assert.Equal(1024 * Mi, pod.Requests.EphemeralStorage);
        Assert.Equal(3, pod.Requests.Extended["example.com/gpu"]);
        Assert.Equal(1, pod.Requests.Pods);
    }

    [Fact]
    public void A_limit_without_a_request_is_the_request()
    {
        var pod = PodWithSpec("""
            {"containers":[{"name":"a","resources":{"requests":{"cpu":"100m"},"limits":{"cpu":"2","memory":"1Gi"}}}]}
            """);
        Assert.Equal(100, pod.Requests.MilliCpu);
        Assert.Equal(1024 * Mi, pod.Requests.Memory);
        Assert.Equal(1024 * Mi, pod.NonZeroMemory);
    }

    [Fact]
    public void Init_containers_raise_the_requests_to_their_maximum_and_overhead_is_added()
    {
        var pod = PodWithSpec("""
            {"containers":[{"name":"a","resources":{"requests":{"cpu":"1","memory":"100Mi"}}},
                           {"name":"b","resources":{"requests":{"cpu":"1","memory":"100Mi"}}}],
             "initContainers":[{"name":"i1","resources":{"requests":{"cpu":"3","memory":"50Mi"}}},
                               {"name":"i2","resources":{"requests":{"cpu":"500m","memory":"500Mi"}}}],
             "overhead":{"cpu":"250m","memory":"10Mi"}}
            """);
        Assert.Equal(3250, pod.Requests.MilliCpu);
        Assert.Equal(510 * Mi, pod.Requests.Memory);
    }

    [Fact]
    public void Sidecar_init_containers_add_to_the_containers_and_to_later_init_containers()
    {
        // A sidecar (restartPolicy Always) keeps running: it adds to the main containers, and an init container
        // after it runs beside it.
        var pod = PodWithSpec("""
            {"containers":[{"name":"a","resources":{"requests":{"cpu":"1"}}}],
             "initContainers":[{"name":"proxy","restartPolicy":"Always","resources":{"requests":{"cpu":"500m"}}},
                               {"name":"migrate","resources":{"requests":{"cpu":"2"}}}]}
            """);
        Assert.Equal(2500, pod.Requests.MilliCpu);

        var small = PodWithSpec("""
            {"containers":[{"name":"a","resources":{"requests":{"cpu":"1"}}}],
             "initContainers":[{"name":"proxy","restartPolicy":"Always","resources":{"requests":{"cpu":"500m"}}},
                               {"name":"migrate","resources":{"requests":{"cpu":"100m"}}}]}
            """);
        Assert.Equal(1500, small.Requests.MilliCpu);
    }

    [Fact]
    public void Scoring_counts_a_container_without_requests_as_100m_and_200Mi()
    {
        var pod = PodWithSpec("""{"containers":[{"name":"a"},{"name":"b","resources":{"requests":{"cpu":"1","memory":"0"}}}]}""");
        Assert.Equal(1000, pod.Requests.MilliCpu);
        Assert.Equal(0, pod.Requests.Memory);
        Assert.Equal(1100, pod.NonZeroMilliCpu);
        Assert.Equal(200 * Mi, pod.NonZeroMemory);
    }

    [Fact]
    public void Reads_identity_selector_tolerations_and_spread_constraints()
    {
        var pod = PodRequirements.FromPod(Json("""
            {"metadata":{"name":"web-1","namespace":"shop","labels":{"app":"web"},
               "ownerReferences":[{"kind":"Other","uid":"u0"},{"kind":"ReplicaSet","uid":"rs-uid","controller":true}]},
             "spec":{"nodeSelector":{"site":"lyon"},
               "tolerations":[{"key":"k","operator":"Equal","value":"v","effect":"NoSchedule"},{"operator":"Exists"}],
               "topologySpreadConstraints":[
                 {"maxSkew":2,"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"ScheduleAnyway","labelSelector":{"matchLabels":{"app":"web"}}},
                 {"maxSkew":1,"topologyKey":"kubernetes.io/hostname","whenUnsatisfiable":"DoNotSchedule","minDomains":3}],
               "containers":[{"name":"a"}]}}
            """));
        Assert.Equal("web-1", pod.Name);
        Assert.Equal("shop", pod.Namespace);
        Assert.Equal("web", pod.Labels["app"]);
        Assert.Equal("rs-uid", pod.ControllerUid);
        Assert.Equal([new KeyValuePair<string, string>("site", "lyon")], pod.NodeSelector);
        Assert.Null(pod.RequiredNodeAffinity);
        Assert.Equal([new Toleration("k", "Equal", "v", "NoSchedule"), new Toleration("", "Exists", "", "")], pod.Tolerations);
        Assert.Equal(2, pod.TopologySpreadConstraints.Count);
        var zone = pod.TopologySpreadConstraints[0];
        Assert.Equal((2, "topology.kubernetes.io/zone", UnsatisfiableConstraintAction.ScheduleAnyway, (int?)null),
            (zone.MaxSkew, zone.TopologyKey, zone.WhenUnsatisfiable, zone.MinDomains));
        Assert.True(zone.Selector.Matches(new Dictionary<string, string> { ["app"] = "web" }));
        var host = pod.TopologySpreadConstraints[1];
        Assert.Equal(UnsatisfiableConstraintAction.DoNotSchedule, host.WhenUnsatisfiable);
        Assert.Equal(3, host.MinDomains);
        Assert.True(host.Selector.IsNothing);
    }

    [Fact]
    public void Malformed_pods_are_refused()
    {
        Assert.Throws<FormatException>(() => PodWithSpec("""{"containers":[{"name":"a","resources":{"requests":{"cpu":"fast"}}}]}"""));
        Assert.Throws<FormatException>(() => PodWithSpec("""
            {"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"a","operator":"Near"}]}]}}}}
            """));
        Assert.Throws<FormatException>(() => PodWithSpec("""{"topologySpreadConstraints":[{"maxSkew":1,"labelSelector":{"matchLabels":{"a":"b"}}}]}"""));
    }

    [Fact]
    public void Node_selector_needs_every_label()
    {
        var pod = PodWithSpec("""{"nodeSelector":{"site":"lyon","tier":"edge"}}""");
        Assert.True(pod.MatchesNodeSelectorAndAffinity(Node("n", labels: new() { ["site"] = "lyon", ["tier"] = "edge", ["x"] = "y" })));
        Assert.False(pod.MatchesNodeSelectorAndAffinity(Node("n", labels: new() { ["site"] = "lyon" })));
        Assert.False(pod.MatchesNodeSelectorAndAffinity(Node("n", labels: new() { ["site"] = "paris", ["tier"] = "edge" })));
    }

    [Theory]
    [InlineData("""{"key":"site","operator":"In","values":["lyon","paris"]}""", true, false, false)]
    [InlineData("""{"key":"site","operator":"NotIn","values":["lyon"]}""", false, true, true)]
    [InlineData("""{"key":"site","operator":"Exists"}""", true, true, false)]
    [InlineData("""{"key":"site","operator":"DoesNotExist"}""", false, false, true)]
    [InlineData("""{"key":"cores","operator":"Gt","values":["4"]}""", true, false, false)]
    [InlineData("""{"key":"cores","operator":"Lt","values":["8"]}""", false, true, false)]
    [InlineData("""{"key":"cores","operator":"Gt","values":["four"]}""", false, false, false)]
    [InlineData("""{"key":"site","operator":"In","values":[]}""", false, false, false)]
    public void Affinity_operators(string expression, bool onLyon8, bool onBerlin2, bool onBare)
    {
        var pod = PodWithSpec(
            """{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":["""
            + expression + "]}]}}}}");
        Assert.Equal(onLyon8, pod.MatchesNodeSelectorAndAffinity(Node("a", labels: new() { ["site"] = "lyon", ["cores"] = "8" })));
        Assert.Equal(onBerlin2, pod.MatchesNodeSelectorAndAffinity(Node("b", labels: new() { ["site"] = "berlin", ["cores"] = "2" })));
        Assert.Equal(onBare, pod.MatchesNodeSelectorAndAffinity(Node("c")));
    }

    [Fact]
    public void Terms_are_ored_and_their_expressions_anded()
    {
        var pod = PodWithSpec("""
            {"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
              {"matchExpressions":[{"key":"site","operator":"In","values":["lyon"]},{"key":"gpu","operator":"Exists"}]},
              {"matchFields":[{"key":"metadata.name","operator":"In","values":["special"]}]}]}}}}
            """);
        Assert.True(pod.MatchesNodeSelectorAndAffinity(Node("a", labels: new() { ["site"] = "lyon", ["gpu"] = "yes" })));
        Assert.False(pod.MatchesNodeSelectorAndAffinity(Node("b", labels: new() { ["site"] = "lyon" })));
        Assert.True(pod.MatchesNodeSelectorAndAffinity(Node("special")));
        Assert.False(pod.MatchesNodeSelectorAndAffinity(Node("ordinary")));
    }

    [Fact]
    public void An_empty_term_or_no_terms_match_no_node_and_selector_and_affinity_must_both_hold()
    {
        var empty = PodWithSpec("""{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{}]}}}}""");
        Assert.False(empty.MatchesNodeSelectorAndAffinity(Node("a")));
        var none = PodWithSpec("""{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[]}}}}""");
        Assert.False(none.MatchesNodeSelectorAndAffinity(Node("a")));
        var both = PodWithSpec("""
            {"nodeSelector":{"tier":"edge"},
             "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchFields":[{"key":"metadata.name","operator":"NotIn","values":["b"]}]}]}}}}
            """);
        Assert.True(both.MatchesNodeSelectorAndAffinity(Node("a", labels: new() { ["tier"] = "edge" })));
        Assert.False(both.MatchesNodeSelectorAndAffinity(Node("b", labels: new() { ["tier"] = "edge" })));
        Assert.False(both.MatchesNodeSelectorAndAffinity(Node("c")));
    }
}
