using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Workloads;
using static EdgeCloud.Controllers.Tests.Workloads.WorkloadObjects;

namespace EdgeCloud.Controllers.Tests.Workloads;

public sealed class DeploymentPlanningTests
{
    private static string HashOf(JsonObject deployment, int? collisions = null) =>
        PodTemplateHash.Compute(deployment["spec"]!["template"]!.AsObject(), collisions);

    private static JsonObject Only(IReadOnlyList<JsonObject> replicaSets, string name) => Assert.Single(replicaSets, rs => Name(rs) == name);

    [Theory]
    [InlineData(10, "25%", "25%", 3, 2)]
    [InlineData(3, "25%", "25%", 1, 0)]
    [InlineData(3, "0", "0", 0, 1)]
    [InlineData(3, "0%", "10%", 0, 1)]
    [InlineData(4, "1", "9", 1, 4)]
    [InlineData(0, "25%", "25%", 0, 0)]
    public void Surge_rounds_up_and_unavailability_down(int replicas, string surge, string unavailable, int expectedSurge, int expectedUnavailable)
    {
        var deployment = Deployment(replicas: replicas, maxSurge: surge, maxUnavailable: unavailable);
        Assert.Equal(expectedSurge, DeploymentPlanning.MaxSurge(deployment));
        Assert.Equal(expectedUnavailable, DeploymentPlanning.MaxUnavailable(deployment));
    }

    [Fact]
    public void Recreate_has_no_surge_and_no_unavailability_budget()
    {
        var deployment = Deployment(replicas: 4, strategy: "Recreate");
        Assert.Equal(0, DeploymentPlanning.MaxSurge(deployment));
        Assert.Equal(0, DeploymentPlanning.MaxUnavailable(deployment));
    }

    [Fact]
    public void The_new_set_is_the_oldest_with_the_same_template_whatever_its_hash()
    {
        var deployment = Deployment(image: "nginx:2");
        var old = ReplicaSet("nginx:1", 3, revision: 1);
        var match = ReplicaSet("nginx:2", 0, revision: 2, createdMinutesAgo: 20, hash: "zzz");
        var younger = ReplicaSet("nginx:2", 0, revision: 3, createdMinutesAgo: 5, hash: "yyy");
        var found = DeploymentPlanning.FindNewReplicaSet(deployment, [old, younger, match]);
        Assert.Same(match, found);
        Assert.Equal(["web-hnginx1", "web-yyy"], DeploymentPlanning.FindOldReplicaSets(deployment, [old, younger, match]).Select(Name));
        Assert.Null(DeploymentPlanning.FindNewReplicaSet(Deployment(image: "nginx:3"), [old, match]));
    }

    [Fact]
    public void First_sync_creates_the_new_set_sized_named_labelled_and_annotated()
    {
        var deployment = Deployment(replicas: 3, minReadySeconds: 5);
        deployment["metadata"]!["annotations"] = new JsonObject
        {
            ["kubernetes.io/change-cause"] = "kubectl create deployment web --image=nginx:1.27",
            ["kubectl.kubernetes.io/last-applied-configuration"] = "{}",
            ["team"] = "edge",
        };
        var plan = DeploymentPlanning.Plan(deployment, [], [], Now);

        var hash = HashOf(deployment);
        var rs = plan.Create!;
        Assert.Equal("web-" + hash, Name(rs));
        Assert.Equal("default", rs["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal(hash, rs["metadata"]!["labels"]![PodTemplateHash.Label]!.GetValue<string>());
        Assert.Equal("web", rs["metadata"]!["labels"]!["app"]!.GetValue<string>());
        Assert.Equal(hash, rs["spec"]!["selector"]!["matchLabels"]![PodTemplateHash.Label]!.GetValue<string>());
        Assert.Equal(hash, rs["spec"]!["template"]!["metadata"]!["labels"]![PodTemplateHash.Label]!.GetValue<string>());
        Assert.Equal(5, rs["spec"]!["minReadySeconds"]!.GetValue<int>());
        Assert.Equal(3, SpecReplicas(rs));
        Assert.Equal("d-uid", ControllerRefs.ControllerUid(rs));
        Assert.Equal("1", Annotation(rs, DeploymentPlanning.RevisionAnnotation));
        Assert.Equal("3", Annotation(rs, DeploymentPlanning.DesiredReplicasAnnotation));
        Assert.Equal("4", Annotation(rs, DeploymentPlanning.MaxReplicasAnnotation));
        Assert.Equal("kubectl create deployment web --image=nginx:1.27", Annotation(rs, DeploymentPlanning.ChangeCauseAnnotation));
        Assert.Equal("edge", Annotation(rs, "team"));
        Assert.Null(Annotation(rs, "kubectl.kubernetes.io/last-applied-configuration"));

        Assert.Equal("1", plan.Revision);
        Assert.Empty(plan.Update);
        Assert.Empty(plan.Delete);
        var progressing = Condition(plan.Status, "Progressing")!;
        Assert.Equal("True", progressing["status"]!.GetValue<string>());
        Assert.Equal("NewReplicaSetCreated", progressing["reason"]!.GetValue<string>());
        Assert.Equal($"Created new replica set \"web-{hash}\"", progressing["message"]!.GetValue<string>());
        Assert.Equal("False", Condition(plan.Status, "Available")!["status"]!.GetValue<string>());
        Assert.True(plan.StatusChanged);
        var scaled = Assert.Single(plan.Events);
        Assert.Equal(("Normal", "ScalingReplicaSet", $"Scaled up replica set web-{hash} from 0 to 3"), (scaled.Type, scaled.Reason, scaled.Message));
        Assert.Equal(Now.AddSeconds(601), plan.RequeueAt);
    }

    [Fact]
    public void A_template_change_surges_the_new_set_and_scales_the_old_within_the_budget()
    {
        // 10 replicas, 25%: up to 13 pods, at least 8 available.
        var deployment = Deployment(replicas: 10, image: "nginx:2");
        deployment["metadata"]!["annotations"] = new JsonObject { [DeploymentPlanning.RevisionAnnotation] = "1" };
        var old = ReplicaSet("nginx:1", 10, revision: 1, desired: 10, max: 13);
        var plan = DeploymentPlanning.Plan(deployment, [old], [], Now);

        Assert.Equal(3, SpecReplicas(plan.Create!));
        Assert.Equal("2", Annotation(plan.Create!, DeploymentPlanning.RevisionAnnotation));
        var scaledOld = Assert.Single(plan.Update);
        Assert.Equal("web-hnginx1", Name(scaledOld));
        Assert.Equal(8, SpecReplicas(scaledOld));
        Assert.Equal("7", scaledOld["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(10, SpecReplicas(old));
        Assert.Equal("2", plan.Revision);
        Assert.Equal(
            [$"Scaled up replica set web-{HashOf(deployment)} from 0 to 3", "Scaled down replica set web-hnginx1 from 10 to 8"],
            plan.Events.Select(e => e.Message));
    }

    [Theory]
    [InlineData(10, "25%", "25%")]
    [InlineData(5, "0", "1")]
    [InlineData(5, "2", "0")]
    [InlineData(3, "0", "0")]
    [InlineData(7, "100%", "0%")]
    public void A_rolling_update_completes_without_breaking_surge_or_availability(int replicas, string surge, string unavailable)
    {
        var deployment = Deployment(replicas: replicas, image: "nginx:2", maxSurge: surge, maxUnavailable: unavailable);
        var replicaSets = new List<JsonObject> { ReplicaSet("nginx:1", replicas, revision: 1, desired: replicas) };
        var maxTotal = replicas + DeploymentPlanning.MaxSurge(deployment);
        var minAvailable = replicas - DeploymentPlanning.MaxUnavailable(deployment);
        var now = Now;
        DeploymentPlan plan;
        var steps = 0;
        do
        {
            plan = DeploymentPlanning.Plan(deployment, replicaSets, [], now);
            Apply(deployment, replicaSets, plan, now);
            Assert.True(replicaSets.Sum(SpecReplicas) <= maxTotal, $"step {steps}: {replicaSets.Sum(SpecReplicas)} pods wanted, more than {maxTotal}");
            // Pods of a set scaled down are gone at once; new ones are not available until the next step.
            var available = replicaSets.Sum(rs => Math.Min(SpecReplicas(rs), rs["status"]?["availableReplicas"]?.GetValue<int>() ?? 0));
            Assert.True(available >= minAvailable, $"step {steps}: {available} available, fewer than {minAvailable}");
            RunPods(replicaSets);
            now = now.AddSeconds(10);
        }
        while ((plan.Create is not null || plan.Update.Count > 0 || plan.StatusChanged) && ++steps < 50);

        var newRs = Assert.Single(replicaSets, rs => Name(rs) == "web-" + HashOf(deployment));
        Assert.Equal(replicas, SpecReplicas(newRs));
        Assert.Equal(0, SpecReplicas(Only(replicaSets, "web-hnginx1")));
        var status = deployment["status"]!.AsObject();
        Assert.Equal(replicas, status["updatedReplicas"]!.GetValue<int>());
        Assert.Equal(replicas, status["availableReplicas"]!.GetValue<int>());
        var progressing = Condition(status, "Progressing")!;
        Assert.Equal("NewReplicaSetAvailable", progressing["reason"]!.GetValue<string>());
        Assert.Equal($"ReplicaSet \"{Name(newRs)}\" has successfully progressed.", progressing["message"]!.GetValue<string>());
        Assert.Equal("MinimumReplicasAvailable", Condition(status, "Available")!["reason"]!.GetValue<string>());
        Assert.Equal("2", Annotation(deployment, DeploymentPlanning.RevisionAnnotation));
        Assert.Null(plan.RequeueAt);
    }

    [Fact]
    public void Old_set_status_still_counting_pods_being_removed_does_not_break_max_unavailable()
    {
        // Seen end to end: the old set was just scaled 4 -> 3, but its status (not yet updated by the ReplicaSet
        // controller) still says 4 available. Counting those let the next pass scale it down to 1.
        var deployment = Deployment(replicas: 4, image: "nginx:2", maxSurge: "1", maxUnavailable: "1");
        deployment["metadata"]!["annotations"] = new JsonObject { [DeploymentPlanning.RevisionAnnotation] = "2" };
        var old = ReplicaSet("nginx:1", 3, available: 4, statusReplicas: 4, revision: 1, desired: 4, max: 5);
        var current = ReplicaSet("nginx:2", 2, available: 1, statusReplicas: 2, revision: 2, createdMinutesAgo: 1, hash: HashOf(deployment), desired: 4, max: 5);
        var plan = DeploymentPlanning.Plan(deployment, [old, current], [], Now);

        var scaledOld = Assert.Single(plan.Update, static rs => Name(rs) == "web-hnginx1");
        // 3 old + 1 new available, at least 3 must stay: the old set may lose one pod, not two.
        Assert.Equal(2, SpecReplicas(scaledOld));
    }

    [Fact]
    public void Both_budgets_zero_still_lets_one_old_pod_go()
    {
        var deployment = Deployment(replicas: 3, image: "nginx:2", maxSurge: "0", maxUnavailable: "0");
        var plan = DeploymentPlanning.Plan(deployment, [ReplicaSet("nginx:1", 3)], [], Now);
        Assert.Equal(0, SpecReplicas(plan.Create!));
        Assert.Equal(2, SpecReplicas(Assert.Single(plan.Update)));
    }

    [Fact]
    public void Unhealthy_old_pods_are_scaled_down_before_healthy_ones()
    {
        var deployment = Deployment(replicas: 4, image: "nginx:3", maxSurge: "1", maxUnavailable: "0");
        var healthy = ReplicaSet("nginx:1", 2, revision: 1, createdMinutesAgo: 60, desired: 4);
        var broken = ReplicaSet("nginx:2", 2, available: 0, revision: 2, createdMinutesAgo: 30, desired: 4);
        var current = ReplicaSet("nginx:3", 1, revision: 3, createdMinutesAgo: 5, desired: 4);
        var plan = DeploymentPlanning.Plan(deployment, [healthy, broken, current], [], Now);
        Assert.Null(plan.Create);
        var scaled = Assert.Single(plan.Update);
        Assert.Equal("web-hnginx2", Name(scaled));
        Assert.Equal(1, SpecReplicas(scaled));
    }

    [Fact]
    public void Recreate_removes_every_old_pod_before_the_new_set_grows()
    {
        var deployment = Deployment(replicas: 2, image: "nginx:2", strategy: "Recreate");
        var old = ReplicaSet("nginx:1", 2, revision: 1);

        var first = DeploymentPlanning.Plan(deployment, [old], [], Now);
        Assert.Null(first.Create);
        Assert.Equal(0, SpecReplicas(Assert.Single(first.Update)));

        var scaledDown = first.Update[0];
        Assert.Null(DeploymentPlanning.Plan(deployment, [scaledDown], [], Now).Create);

        scaledDown["status"]!["replicas"] = 0;
        scaledDown["status"]!["availableReplicas"] = 0;
        var lingering = Pod("old-1", ownerUid: "rs-hnginx1", terminating: true);
        Assert.Null(DeploymentPlanning.Plan(deployment, [scaledDown], [lingering], Now).Create);

        var failed = Pod("old-2", ownerUid: "rs-hnginx1", phase: "Failed", ready: false);
        var go = DeploymentPlanning.Plan(deployment, [scaledDown], [failed], Now);
        Assert.Equal(2, SpecReplicas(go.Create!));
        Assert.Equal("2", go.Revision);
    }

    [Fact]
    public void A_scale_mid_rollout_is_shared_in_proportion()
    {
        // Rollout of 10 (13 with surge) in flight: 8 old, 5 new. Scaled to 20 (25 with surge): 12 more pods.
        var deployment = Deployment(replicas: 20, image: "nginx:2");
        var old = ReplicaSet("nginx:1", 8, revision: 1, createdMinutesAgo: 60, desired: 10, max: 13);
        var current = ReplicaSet("nginx:2", 5, available: 2, revision: 2, createdMinutesAgo: 5, desired: 10, max: 13);
        var plan = DeploymentPlanning.Plan(deployment, [old, current], [], Now);
        Assert.Null(plan.Create);
        Assert.Equal(15, SpecReplicas(Only(plan.Update, "web-hnginx1")));
        Assert.Equal(10, SpecReplicas(Only(plan.Update, "web-hnginx2")));
        Assert.All(plan.Update, rs =>
        {
            Assert.Equal("20", Annotation(rs, DeploymentPlanning.DesiredReplicasAnnotation));
            Assert.Equal("25", Annotation(rs, DeploymentPlanning.MaxReplicasAnnotation));
        });
        Assert.Contains(plan.Events, e => e.Message == "Scaled up replica set web-hnginx1 from 8 to 15");

        // Down to 5 (7 with surge): 6 fewer, taken from the biggest (and oldest) first.
        var down = DeploymentPlanning.Plan(Deployment(replicas: 5, image: "nginx:2"), [old, current], [], Now);
        Assert.Equal(4, SpecReplicas(Only(down.Update, "web-hnginx1")));
        Assert.Equal(3, SpecReplicas(Only(down.Update, "web-hnginx2")));
    }

    [Fact]
    public void A_scale_with_one_active_set_resizes_it_directly()
    {
        var deployment = Deployment(replicas: 5);
        var rs = ReplicaSet("nginx:1.27", 3, revision: 1, desired: 3, max: 4);
        var plan = DeploymentPlanning.Plan(deployment, [rs], [], Now);
        var scaled = Assert.Single(plan.Update);
        Assert.Equal(5, SpecReplicas(scaled));
        Assert.Equal("5", Annotation(scaled, DeploymentPlanning.DesiredReplicasAnnotation));
        Assert.Equal("7", Annotation(scaled, DeploymentPlanning.MaxReplicasAnnotation));
        Assert.Equal("Scaled up replica set web-hnginx127 from 3 to 5", Assert.Single(plan.Events).Message);
    }

    [Fact]
    public void A_paused_deployment_scales_but_does_not_roll_out()
    {
        var deployment = Deployment(replicas: 3, image: "nginx:2", paused: true);
        var old = ReplicaSet("nginx:1", 3, revision: 1, desired: 3);
        var plan = DeploymentPlanning.Plan(deployment, [old], [], Now);
        Assert.Null(plan.Create);
        Assert.Empty(plan.Update);
        var progressing = Condition(plan.Status, "Progressing")!;
        Assert.Equal(("Unknown", "DeploymentPaused", "Deployment is paused"),
            (progressing["status"]!.GetValue<string>(), progressing["reason"]!.GetValue<string>(), progressing["message"]!.GetValue<string>()));
        Assert.Null(plan.RequeueAt);

        var scaled = DeploymentPlanning.Plan(Deployment(replicas: 6, image: "nginx:2", paused: true), [old], [], Now);
        Assert.Null(scaled.Create);
        Assert.Equal(6, SpecReplicas(Assert.Single(scaled.Update)));
    }

    [Fact]
    public void Rollout_undo_makes_the_old_set_new_again_with_the_next_revision()
    {
        // kubectl rollout undo patched the template back to revision 1's.
        var deployment = Deployment(replicas: 3, image: "nginx:1");
        deployment["metadata"]!["annotations"] = new JsonObject
        {
            [DeploymentPlanning.RevisionAnnotation] = "2",
            [DeploymentPlanning.ChangeCauseAnnotation] = "kubectl set image deployment/web web=nginx:1",
        };
        var first = ReplicaSet("nginx:1", 0, revision: 1, createdMinutesAgo: 60, desired: 3);
        var second = ReplicaSet("nginx:2", 3, revision: 2, createdMinutesAgo: 30, desired: 3);
        var plan = DeploymentPlanning.Plan(deployment, [first, second], [], Now);

        Assert.Null(plan.Create);
        var back = Only(plan.Update, "web-hnginx1");
        Assert.Equal("3", Annotation(back, DeploymentPlanning.RevisionAnnotation));
        Assert.Equal("1", Annotation(back, DeploymentPlanning.RevisionHistoryAnnotation));
        Assert.Equal("kubectl set image deployment/web web=nginx:1", Annotation(back, DeploymentPlanning.ChangeCauseAnnotation));
        Assert.Equal(1, SpecReplicas(back));
        Assert.Equal("3", plan.Revision);
    }

    [Fact]
    public void Revision_history_keeps_every_earlier_revision()
    {
        var deployment = Deployment(replicas: 1, image: "nginx:1");
        var again = ReplicaSet("nginx:1", 0, revision: 3);
        again["metadata"]!["annotations"]![DeploymentPlanning.RevisionHistoryAnnotation] = "1";
        var plan = DeploymentPlanning.Plan(deployment, [again, ReplicaSet("nginx:2", 1, revision: 4)], [], Now);
        var back = Only(plan.Update, "web-hnginx1");
        Assert.Equal("5", Annotation(back, DeploymentPlanning.RevisionAnnotation));
        Assert.Equal("1,3", Annotation(back, DeploymentPlanning.RevisionHistoryAnnotation));
    }

    [Fact]
    public void Old_sets_beyond_the_history_limit_are_deleted_oldest_revision_first_when_empty()
    {
        var deployment = Deployment(replicas: 3, image: "nginx:5", revisionHistoryLimit: 2);
        deployment["status"] = new JsonObject { ["observedGeneration"] = 1, ["replicas"] = 3, ["updatedReplicas"] = 3, ["availableReplicas"] = 3, ["readyReplicas"] = 3 };
        var sets = new List<JsonObject>
        {
            ReplicaSet("nginx:2", 0, revision: 2, createdMinutesAgo: 50),
            ReplicaSet("nginx:1", 0, revision: 1, createdMinutesAgo: 60),
            ReplicaSet("nginx:3", 0, revision: 3, createdMinutesAgo: 40),
            ReplicaSet("nginx:4", 0, revision: 4, createdMinutesAgo: 30),
            ReplicaSet("nginx:5", 3, revision: 5, createdMinutesAgo: 20, desired: 3),
        };
        var plan = DeploymentPlanning.Plan(deployment, sets, [], Now);
        Assert.Equal(["web-hnginx1", "web-hnginx2"], plan.Delete.Select(Name).Order(StringComparer.Ordinal));

        // A set whose pods are still going is kept, and not replaced by a younger one.
        sets[0]["status"]!["replicas"] = 1;
        Assert.Equal(["web-hnginx1"], DeploymentPlanning.Plan(deployment, sets, [], Now).Delete.Select(Name));
    }

    [Fact]
    public void A_name_taken_by_another_template_counts_a_collision_and_creates_nothing()
    {
        var deployment = Deployment(image: "nginx:2");
        var squatter = ReplicaSet("nginx:1", 3, hash: HashOf(deployment));
        var plan = DeploymentPlanning.Plan(deployment, [squatter], [], Now);
        Assert.Null(plan.Create);
        Assert.Equal(1, plan.Status["collisionCount"]!.GetValue<int>());
        Assert.True(plan.StatusChanged);

        deployment["status"] = plan.Status;
        var retry = DeploymentPlanning.Plan(deployment, [squatter], [], Now);
        Assert.Equal("web-" + HashOf(deployment, 1), Name(retry.Create!));
        Assert.NotEqual(Name(squatter), Name(retry.Create!));
    }

    [Fact]
    public void A_create_conflict_with_our_own_set_is_not_a_collision()
    {
        var deployment = Deployment();
        var ours = DeploymentPlanning.NewReplicaSet(deployment);
        Assert.Null(DeploymentPlanning.StatusAfterNameConflict(deployment, ours));
        var foreign = ours.DeepClone().AsObject();
        foreign["metadata"]!["ownerReferences"] = new JsonArray();
        Assert.Equal(1, DeploymentPlanning.StatusAfterNameConflict(deployment, foreign)!["collisionCount"]!.GetValue<int>());
    }

    [Fact]
    public void An_existing_new_set_gets_the_deployments_annotations_and_min_ready_seconds()
    {
        var deployment = Deployment(replicas: 3, minReadySeconds: 10);
        deployment["metadata"]!["annotations"] = new JsonObject { [DeploymentPlanning.ChangeCauseAnnotation] = "scaled for the fair" };
        // Stored counts equal the sets' (no progress to report), conditions not written yet.
        deployment["status"] = new JsonObject { ["observedGeneration"] = 1, ["replicas"] = 3, ["updatedReplicas"] = 3, ["readyReplicas"] = 1, ["availableReplicas"] = 1 };
        var rs = ReplicaSet("nginx:1.27", 3, available: 1, revision: 1, desired: 3);
        var plan = DeploymentPlanning.Plan(deployment, [rs], [], Now);
        var updated = Assert.Single(plan.Update);
        Assert.Equal(10, updated["spec"]!["minReadySeconds"]!.GetValue<int>());
        Assert.Equal("scaled for the fair", Annotation(updated, DeploymentPlanning.ChangeCauseAnnotation));
        Assert.Equal("1", Annotation(updated, DeploymentPlanning.RevisionAnnotation));
        Assert.Equal("1", plan.Revision);
        var progressing = Condition(plan.Status, "Progressing")!;
        Assert.Equal("FoundNewReplicaSet", progressing["reason"]!.GetValue<string>());
        Assert.Equal("Found new replica set \"web-hnginx127\"", progressing["message"]!.GetValue<string>());
    }

    [Fact]
    public void A_deployment_being_deleted_only_reports_status()
    {
        var deployment = Deployment(image: "nginx:2");
        deployment["metadata"]!["deletionTimestamp"] = Time(Now);
        var plan = DeploymentPlanning.Plan(deployment, [ReplicaSet("nginx:1", 3)], [], Now);
        Assert.Null(plan.Create);
        Assert.Empty(plan.Update);
        Assert.Equal(3, plan.Status["replicas"]!.GetValue<int>());
    }

    private static void Apply(JsonObject deployment, List<JsonObject> replicaSets, DeploymentPlan plan, DateTimeOffset now)
    {
        if (plan.Create is { } created)
        {
            created["metadata"]!["uid"] = "rs-" + Name(created);
            created["metadata"]!["creationTimestamp"] = Time(now);
            created["metadata"]!["generation"] = 1;
            replicaSets.Add(JsonNode.Parse(created.ToJsonString())!.AsObject());
        }

        foreach (var updated in plan.Update)
        {
            var index = replicaSets.FindIndex(rs => Name(rs) == Name(updated));
            replicaSets[index] = JsonNode.Parse(updated.ToJsonString())!.AsObject();
        }

        replicaSets.RemoveAll(rs => plan.Delete.Any(d => Name(d) == Name(rs)));
        if (plan.Revision is { } revision)
        {
            var annotations = deployment["metadata"]!["annotations"] as JsonObject ?? [];
            annotations[DeploymentPlanning.RevisionAnnotation] = revision;
            deployment["metadata"]!["annotations"] = annotations;
        }

        deployment["status"] = JsonNode.Parse(plan.Status.ToJsonString());
    }

    // The ReplicaSet controller and the nodes: every set gets exactly its pods, all of them ready.
    private static void RunPods(List<JsonObject> replicaSets)
    {
        foreach (var rs in replicaSets)
        {
            var size = SpecReplicas(rs);
            rs["status"] = new JsonObject
            {
                ["replicas"] = size,
                ["readyReplicas"] = size,
                ["availableReplicas"] = size,
                ["fullyLabeledReplicas"] = size,
                ["observedGeneration"] = 1,
            };
        }
    }
}
