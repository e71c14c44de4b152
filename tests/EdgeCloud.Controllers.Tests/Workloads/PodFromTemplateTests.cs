using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Workloads;
using EdgeCloud.Kube.Kinds;

namespace EdgeCloud.Controllers.Tests.Workloads;

public sealed class PodFromTemplateTests
{
    private static JsonObject Owner() => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "ReplicaSet",
        ["metadata"] = new JsonObject { ["name"] = "web-5d8f", ["namespace"] = "shop", ["uid"] = "rs-uid" },
    };

    private static JsonObject Template() => JsonNode.Parse("""
        {
          "metadata": {
            "name": "ignored", "namespace": "elsewhere",
            "labels": {"app": "web", "pod-template-hash": "5d8f"},
            "annotations": {"kubectl.kubernetes.io/restartedAt": "2026-12-01T10:00:00Z"},
            "finalizers": ["example.com/keep"]
          },
          "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}], "restartPolicy": "Always"}
        }
        """)!.AsObject();

    [Fact]
    public void Pod_carries_the_template_metadata_and_spec_in_the_owners_namespace()
    {
        var pod = PodFromTemplate.Build(Template(), ReplicaSetKind.Definition, Owner(), "web-5d8f-");
        Assert.Equal("v1", pod["apiVersion"]!.GetValue<string>());
        Assert.Equal("Pod", pod["kind"]!.GetValue<string>());
        var metadata = pod["metadata"]!.AsObject();
        Assert.Equal("web-5d8f-", metadata["generateName"]!.GetValue<string>());
        Assert.Null(metadata["name"]);
        Assert.Equal("shop", metadata["namespace"]!.GetValue<string>());
        Assert.Equal("5d8f", metadata["labels"]!["pod-template-hash"]!.GetValue<string>());
        Assert.Equal("2026-12-01T10:00:00Z", metadata["annotations"]!["kubectl.kubernetes.io/restartedAt"]!.GetValue<string>());
        Assert.Equal("example.com/keep", metadata["finalizers"]![0]!.GetValue<string>());
        Assert.Equal("nginx:1.27", pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void Pod_is_controlled_by_its_owner()
    {
        var pod = PodFromTemplate.Build(Template(), ReplicaSetKind.Definition, Owner(), "web-5d8f-");
        var reference = Assert.Single(pod["metadata"]!["ownerReferences"]!.AsArray())!.AsObject();
        Assert.Equal("ReplicaSet", reference["kind"]!.GetValue<string>());
        Assert.Equal("rs-uid", reference["uid"]!.GetValue<string>());
        Assert.Equal("web-5d8f", reference["name"]!.GetValue<string>());
        Assert.True(reference["controller"]!.GetValue<bool>());
        Assert.Equal("rs-uid", ControllerRefs.ControllerUid(pod));
    }

    [Fact]
    public void Pod_is_a_copy_so_changing_it_leaves_the_template_alone()
    {
        var template = Template();
        var pod = PodFromTemplate.Build(template, ReplicaSetKind.Definition, Owner(), "web-5d8f-");
        pod["metadata"]!["labels"]!["extra"] = "1";
        pod["spec"]!["containers"]![0]!["image"] = "nginx:2";
        Assert.Null(template["metadata"]!["labels"]!["extra"]);
        Assert.Equal("nginx:1.27", template["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void A_bare_template_gives_a_pod_without_labels()
    {
        var template = JsonNode.Parse("""{"spec":{"containers":[{"name":"c","image":"busybox"}]}}""")!.AsObject();
        var pod = PodFromTemplate.Build(template, JobKind.Definition, Owner(), "pi-");
        Assert.Null(pod["metadata"]!["labels"]);
        Assert.Null(pod["metadata"]!["annotations"]);
        Assert.Equal("Job", pod["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>());
    }
}
