using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Workloads;
using EdgeCloud.Controllers.Workloads.DaemonSets;
using static EdgeCloud.Controllers.Tests.Workloads.DaemonSets.DaemonSetObjects;

namespace EdgeCloud.Controllers.Tests.Workloads.DaemonSets;

public sealed class DaemonSetHistoryTests
{
    private static JsonObject Revision(string image, long number)
    {
        var ds = DaemonSet(image: image);
        return DaemonSetHistory.Build(ds, DaemonSetPlanning.Hash(ds), number);
    }

    private static long Number(JsonObject revision) => revision["revision"]!.GetValue<long>();

    [Fact]
    public void The_first_template_becomes_revision_one()
    {
        var ds = DaemonSet();
        ds["metadata"]!["annotations"] = new JsonObject { ["kubernetes.io/change-cause"] = "kubectl apply --filename=logs.yaml" };
        var hash = DaemonSetPlanning.Hash(ds);
        var plan = DaemonSetHistory.Plan(ds, [], []);

        var revision = plan.Create!;
        Assert.Equal("ControllerRevision", revision["kind"]!.GetValue<string>());
        Assert.Equal("apps/v1", revision["apiVersion"]!.GetValue<string>());
        Assert.Equal("logs-" + hash, revision["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("kube-system", revision["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal(hash, revision["metadata"]!["labels"]!["controller-revision-hash"]!.GetValue<string>());
        Assert.Equal("logs", revision["metadata"]!["labels"]!["app"]!.GetValue<string>());
        Assert.Equal("kubectl apply --filename=logs.yaml", revision["metadata"]!["annotations"]!["kubernetes.io/change-cause"]!.GetValue<string>());
        Assert.Equal("ds-uid-1", ControllerRefs.ControllerUid(revision));
        Assert.Equal(1, Number(revision));
        Assert.Equal(1, plan.CurrentRevision);
        Assert.Null(plan.Update);
        Assert.Empty(plan.Delete);
    }

    [Fact]
    public void Revision_data_is_the_patch_that_restores_the_template()
    {
        var ds = DaemonSet(image: "agent:7");
        var data = DaemonSetHistory.Build(ds, "h", 1)["data"]!;
        var template = data["spec"]!["template"]!.AsObject();
        Assert.Equal("replace", template["$patch"]!.GetValue<string>());
        Assert.Equal("agent:7", template["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Single(data.AsObject());
        Assert.Single(data["spec"]!.AsObject());
    }

    [Fact]
    public void A_new_template_gets_the_next_number()
    {
        var ds = DaemonSet(image: "agent:2");
        var plan = DaemonSetHistory.Plan(ds, [Revision("agent:1", 1)], []);
        Assert.Equal(2, Number(plan.Create!));
        Assert.Equal(2, plan.CurrentRevision);
        Assert.Empty(plan.Delete);
    }

    [Fact]
    public void Undo_renumbers_the_old_template_as_the_newest()
    {
        var ds = DaemonSet(image: "agent:1");
        var first = Revision("agent:1", 1);
        var plan = DaemonSetHistory.Plan(ds, [first, Revision("agent:2", 2)], []);
        Assert.Null(plan.Create);
        Assert.Equal(3, Number(plan.Update!));
        Assert.Equal(first["metadata"]!["name"]!.GetValue<string>(), plan.Update!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(1, Number(first));
        Assert.Equal(3, plan.CurrentRevision);
    }

    [Fact]
    public void The_current_revision_as_the_newest_changes_nothing()
    {
        var ds = DaemonSet(image: "agent:2");
        var plan = DaemonSetHistory.Plan(ds, [Revision("agent:1", 1), Revision("agent:2", 2)], []);
        Assert.Null(plan.Create);
        Assert.Null(plan.Update);
        Assert.Empty(plan.Delete);
        Assert.Equal(2, plan.CurrentRevision);
    }

    [Fact]
    public void Duplicates_of_the_current_template_are_removed_keeping_the_newest()
    {
        var ds = DaemonSet(image: "agent:2");
        var older = Revision("agent:2", 2);
        older["metadata"]!["name"] = "logs-dup";
        var newer = Revision("agent:2", 4);
        var plan = DaemonSetHistory.Plan(ds, [older, Revision("agent:1", 3), newer], []);
        Assert.Same(older, Assert.Single(plan.Delete));
        Assert.Equal(4, plan.CurrentRevision);
        Assert.Null(plan.Update);
    }

    [Fact]
    public void Old_revisions_beyond_the_limit_go_oldest_first_unless_a_pod_runs_them()
    {
        var ds = DaemonSet(image: "agent:5");
        ds["spec"]!["revisionHistoryLimit"] = 2;
        var old = Enumerable.Range(1, 4).Select(i => Revision($"agent:{i}", i)).ToArray();
        var stillRunning = Pod("n1", old[0]["metadata"]!["labels"]!["controller-revision-hash"]!.GetValue<string>());
        var plan = DaemonSetHistory.Plan(ds, [.. old, Revision("agent:5", 5)], [stillRunning]);
        Assert.Equal([old[1], old[2]], plan.Delete);
    }

    [Fact]
    public void A_revision_with_the_same_name_but_another_template_is_a_hash_collision()
    {
        var ds = DaemonSet(image: "agent:2");
        var impostor = DaemonSetHistory.Build(DaemonSet(image: "agent:1"), DaemonSetPlanning.Hash(ds), 1);
        var plan = DaemonSetHistory.Plan(ds, [impostor], []);
        Assert.True(plan.HashCollision);
        Assert.Null(plan.Create);

        // With the collision counted the hash (and so the name) moves on.
        ds["status"] = new JsonObject { ["collisionCount"] = 1 };
        var retry = DaemonSetHistory.Plan(ds, [impostor], []);
        Assert.False(retry.HashCollision);
        Assert.Equal("logs-" + DaemonSetPlanning.Hash(ds), retry.Create!["metadata"]!["name"]!.GetValue<string>());
    }
}
