using System.Text.Json.Nodes;
using EdgeCloud.Kube.Kinds;

namespace EdgeCloud.Kube.Tests.Kinds;

/// <summary>status.qosClass and the limits-to-requests defaulting of pods, as kube-apiserver applies them.</summary>
public sealed class PodQosTests
{
    [Theory]
    [InlineData("""[{"name": "a"}]""", "BestEffort")]
    [InlineData("""[{"name": "a", "resources": {"limits": {"ephemeral-storage": "1Gi"}}}]""", "BestEffort")]
    [InlineData("""[{"name": "a", "resources": {"requests": {"cpu": "0", "memory": "0"}}}]""", "BestEffort")]
    [InlineData("""[{"name": "a", "resources": {"requests": {"cpu": "100m"}}}]""", "Burstable")]
    [InlineData("""[{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "1Gi"}}}]""", "Guaranteed")]
    [InlineData("""[{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1000m", "memory": "1024Mi"}}}]""", "Guaranteed")]
    [InlineData("""[{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m", "memory": "1Gi"}}}]""", "Burstable")]
    [InlineData("""[{"name": "a", "resources": {"limits": {"cpu": "1"}, "requests": {"cpu": "1"}}}]""", "Burstable")]
    [InlineData("""[{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "1Gi"}}}, {"name": "b"}]""", "Burstable")]
    public void The_class_follows_the_containers_requests_and_limits(string containers, string expected) =>
        Assert.Equal(expected, PodQos.ClassOf(new JsonObject { ["containers"] = JsonNode.Parse(containers) }));

    [Fact]
    public void Init_containers_count_toward_the_class()
    {
        var spec = JsonNode.Parse("""
            {"containers": [{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "1Gi"}}}],
             "initContainers": [{"name": "i", "resources": {"requests": {"memory": "10Mi"}}}]}
            """)!.AsObject();
        Assert.Equal("Burstable", PodQos.ClassOf(spec));
        Assert.Equal("Burstable", PodQos.ClassOf(JsonNode.Parse("""{"containers": [{"name": "a"}], "initContainers": [{"name": "i", "resources": {"limits": {"cpu": "1"}}}]}""")!.AsObject()));
    }

    [Fact]
    public void A_pods_limits_fill_its_missing_requests_and_only_limits_make_it_Guaranteed()
    {
        var pod = JsonNode.Parse("""
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
             "spec": {"containers": [{"name": "a", "image": "busybox:1.36", "resources": {"limits": {"cpu": "500m", "memory": "64Mi"}, "requests": {"cpu": "250m"}}},
                                     {"name": "b", "image": "busybox:1.36", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}],
                      "initContainers": [{"name": "i", "image": "busybox:1.36", "resources": {"limits": {"memory": "8Mi"}}}]}}
            """)!.AsObject();
        PodSchemas.Pod.Defaulting!(pod);

        var containers = pod["spec"]!["containers"]!.AsArray();
        Assert.Equal("""{"cpu":"250m","memory":"64Mi"}""", containers[0]!["resources"]!["requests"]!.ToJsonString());
        Assert.Equal("""{"cpu":"1","memory":"1Gi"}""", containers[1]!["resources"]!["requests"]!.ToJsonString());
        Assert.Equal("""{"memory":"8Mi"}""", pod["spec"]!["initContainers"]![0]!["resources"]!["requests"]!.ToJsonString());

        PodSchemas.Pod.CreateAdmission!(pod);
        Assert.Equal("Burstable", pod["status"]!["qosClass"]!.GetValue<string>());

        var onlyLimits = JsonNode.Parse("""{"spec": {"containers": [{"name": "a", "image": "x:1", "resources": {"limits": {"cpu": "2", "memory": "1Gi"}}}]}, "status": {"phase": "Running", "qosClass": "BestEffort"}}""")!.AsObject();
        PodSchemas.Pod.Defaulting!(onlyLimits);
        PodSchemas.Pod.CreateAdmission!(onlyLimits);
        Assert.Equal("Guaranteed", onlyLimits["status"]!["qosClass"]!.GetValue<string>());
        Assert.Equal("Running", onlyLimits["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public void Templates_are_not_given_requests_from_limits()
    {
        var deployment = JsonNode.Parse("""{"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "x:1", "resources": {"limits": {"cpu": "1"}}}]}}}}""")!.AsObject();
        DeploymentKind.Definition.Defaulting!(deployment);
        Assert.Null(deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["resources"]!["requests"]);
    }
}
