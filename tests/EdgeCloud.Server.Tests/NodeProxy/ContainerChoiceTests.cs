using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Server.NodeProxy;

namespace EdgeCloud.Server.Tests.NodeProxy;

public sealed class ContainerChoiceTests
{
    [Fact]
    public void The_only_container_is_chosen()
    {
        Assert.Equal("main", PodStreamTargets.ChooseContainer(Pod(["main"]), "web", null));
    }

    [Fact]
    public void Several_containers_need_a_name_and_the_error_lists_init_containers_first()
    {
        var pod = Pod(["a", "b"], init: ["setup"]);
        var error = Assert.Throws<KubeApiException>(() => PodStreamTargets.ChooseContainer(pod, "web", null));
        Assert.Equal((400, "a container name must be specified for pod web, choose one of: [setup a b]"), (error.Code, error.Message));
        Assert.Equal("setup", PodStreamTargets.ChooseContainer(pod, "web", "setup"));
    }

    [Fact]
    public void The_default_container_annotation_picks_one_when_it_names_a_container()
    {
        Assert.Equal("b", PodStreamTargets.ChooseContainer(Pod(["a", "b"], annotation: "b"), "web", null));
        Assert.Throws<KubeApiException>(() => PodStreamTargets.ChooseContainer(Pod(["a", "b"], annotation: "gone"), "web", null));
    }

    [Fact]
    public void An_unknown_container_is_a_400_in_kube_apiserver_words()
    {
        var error = Assert.Throws<KubeApiException>(() => PodStreamTargets.ChooseContainer(Pod(["main"]), "web", "x"));
        Assert.Equal((400, "container x is not valid for pod web"), (error.Code, error.Message));
    }

    private static JsonObject Pod(string[] containers, string[]? init = null, string? annotation = null)
    {
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray([.. containers.Select(static c => (JsonNode)new JsonObject { ["name"] = c })]),
                ["initContainers"] = new JsonArray([.. (init ?? []).Select(static c => (JsonNode)new JsonObject { ["name"] = c })]),
            },
        };
        if (annotation is not null)
        {
            pod["metadata"]!["annotations"] = new JsonObject { [PodStreamTargets.DefaultContainerAnnotation] = annotation };
        }

        return pod;
    }
}
