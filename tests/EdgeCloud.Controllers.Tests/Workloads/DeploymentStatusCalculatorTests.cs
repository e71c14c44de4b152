using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Workloads;
using static EdgeCloud.Controllers.Tests.Workloads.WorkloadObjects;

namespace EdgeCloud.Controllers.Tests.Workloads;

public sealed class DeploymentStatusCalculatorTests
{
    private static readonly DateTimeOffset T0 = Now.AddMinutes(-5);

    private static JsonObject Counts(JsonObject rs, int replicas, int ready, int available)
    {
        rs["status"] = new JsonObject { ["replicas"] = replicas, ["readyReplicas"] = ready, ["availableReplicas"] = available, ["observedGeneration"] = 1 };
        return rs;
    }

    private static JsonObject Stored(int replicas, int updated, int ready, int available, params JsonObject[] conditions) => new()
    {
        ["observedGeneration"] = 1,
        ["replicas"] = replicas,
        ["updatedReplicas"] = updated,
        ["readyReplicas"] = ready,
        ["availableReplicas"] = available,
        ["conditions"] = new JsonArray([.. conditions]),
    };

    private static JsonObject Progressing(string status, string reason, DateTimeOffset updated, DateTimeOffset transitioned) => new()
    {
        ["type"] = "Progressing",
        ["status"] = status,
        ["lastUpdateTime"] = Time(updated),
        ["lastTransitionTime"] = Time(transitioned),
        ["reason"] = reason,
        ["message"] = "earlier",
    };

    private static (string Status, string Reason, string Message, string Updated, string Transitioned) Read(JsonObject? condition) =>
        (condition!["status"]!.GetValue<string>(), condition["reason"]!.GetValue<string>(), condition["message"]!.GetValue<string>(),
         condition["lastUpdateTime"]!.GetValue<string>(), condition["lastTransitionTime"]!.GetValue<string>());

    [Fact]
    public void Counts_come_from_the_sets_and_availability_from_max_unavailable()
    {
        // 4 replicas, 25%: one may be unavailable.
        var deployment = Deployment(replicas: 4, image: "nginx:2", generation: 3);
        deployment["status"] = new JsonObject { ["collisionCount"] = 2 };
        var old = Counts(ReplicaSet("nginx:1", 1), replicas: 2, ready: 2, available: 2);
        var current = Counts(ReplicaSet("nginx:2", 3), replicas: 3, ready: 2, available: 1);
        var status = DeploymentStatusCalculator.Calculate(deployment, [old, current], current, Now);
        Assert.Equal(3, status["observedGeneration"]!.GetValue<int>());
        Assert.Equal(5, status["replicas"]!.GetValue<int>());
        Assert.Equal(3, status["updatedReplicas"]!.GetValue<int>());
        Assert.Equal(4, status["readyReplicas"]!.GetValue<int>());
        Assert.Equal(3, status["availableReplicas"]!.GetValue<int>());
        Assert.Equal(1, status["unavailableReplicas"]!.GetValue<int>());
        Assert.Equal(2, status["collisionCount"]!.GetValue<int>());
        var available = Read(Condition(status, "Available"));
        Assert.Equal(("True", "MinimumReplicasAvailable", "Deployment has minimum availability."), (available.Status, available.Reason, available.Message));

        Counts(old, replicas: 2, ready: 1, available: 1);
        var short_ = Read(Condition(DeploymentStatusCalculator.Calculate(deployment, [old, current], current, Now), "Available"));
        Assert.Equal(("False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."), (short_.Status, short_.Reason, short_.Message));
    }

    [Fact]
    public void Recreate_is_available_only_with_every_replica()
    {
        var deployment = Deployment(replicas: 3, strategy: "Recreate");
        var rs = Counts(ReplicaSet("nginx:1.27", 3), 3, 3, 2);
        Assert.Equal("False", Condition(DeploymentStatusCalculator.Calculate(deployment, [rs], rs, Now), "Available")!["status"]!.GetValue<string>());
    }

    [Fact]
    public void Progress_moves_lastUpdateTime_but_not_lastTransitionTime()
    {
        var deployment = Deployment(replicas: 3, image: "nginx:2");
        deployment["status"] = Stored(4, 1, 3, 3, Progressing("True", "ReplicaSetUpdated", T0, T0.AddMinutes(-10)));
        var old = Counts(ReplicaSet("nginx:1", 2), 2, 2, 2);
        var current = Counts(ReplicaSet("nginx:2", 2), 2, 0, 0);
        var status = DeploymentStatusCalculator.RolloutStatus(deployment, [old, current], current, Now);
        Assert.Equal(("True", "ReplicaSetUpdated", "ReplicaSet \"web-hnginx2\" is progressing.", Time(Now), Time(T0.AddMinutes(-10))), Read(Condition(status, "Progressing")));
    }

    [Fact]
    public void Progress_after_a_timeout_is_a_transition()
    {
        var deployment = Deployment(replicas: 3, image: "nginx:2");
        deployment["status"] = Stored(4, 1, 3, 3, Progressing("False", "ProgressDeadlineExceeded", T0, T0));
        var old = Counts(ReplicaSet("nginx:1", 2), 2, 2, 2);
        var current = Counts(ReplicaSet("nginx:2", 2), 2, 0, 0);
        var progressing = Read(Condition(DeploymentStatusCalculator.RolloutStatus(deployment, [old, current], current, Now), "Progressing"));
        Assert.Equal(("True", "ReplicaSetUpdated", Time(Now), Time(Now)), (progressing.Status, progressing.Reason, progressing.Updated, progressing.Transitioned));
    }

    [Fact]
    public void No_progress_past_the_deadline_is_ProgressDeadlineExceeded()
    {
        var deployment = Deployment(replicas: 3, image: "nginx:2", progressDeadlineSeconds: 600);
        deployment["status"] = Stored(4, 1, 3, 3, Progressing("True", "ReplicaSetUpdated", T0, T0));
        var old = Counts(ReplicaSet("nginx:1", 3), 3, 3, 3);
        var current = Counts(ReplicaSet("nginx:2", 1), 1, 0, 0);

        var atDeadline = DeploymentStatusCalculator.RolloutStatus(deployment, [old, current], current, T0.AddSeconds(600));
        Assert.Equal("ReplicaSetUpdated", Condition(atDeadline, "Progressing")!["reason"]!.GetValue<string>());
        Assert.Equal(T0.AddSeconds(601), DeploymentStatusCalculator.NextProgressCheck(deployment, atDeadline, T0.AddSeconds(600)));
        Assert.Equal(T0.AddSeconds(601), DeploymentPlanning.Plan(deployment, [old, current], [], T0.AddSeconds(300)).RequeueAt);

        var after = T0.AddSeconds(601);
        var status = DeploymentStatusCalculator.RolloutStatus(deployment, [old, current], current, after);
        Assert.Equal(("False", "ProgressDeadlineExceeded", "ReplicaSet \"web-hnginx2\" has timed out progressing.", Time(after), Time(after)), Read(Condition(status, "Progressing")));
        Assert.Null(DeploymentStatusCalculator.NextProgressCheck(deployment, status, after));
        Assert.True(DeploymentStatusCalculator.IsTimedOut(deployment, status, after));

        var plan = DeploymentPlanning.Plan(deployment, [old, current], [], after);
        Assert.Equal("ProgressDeadlineExceeded", Condition(plan.Status, "Progressing")!["reason"]!.GetValue<string>());
        Assert.Null(plan.RequeueAt);
    }

    [Fact]
    public void A_complete_rollout_is_NewReplicaSetAvailable_and_never_times_out()
    {
        var deployment = Deployment(replicas: 3, image: "nginx:2");
        deployment["status"] = Stored(3, 3, 3, 3, Progressing("True", "ReplicaSetUpdated", T0, T0.AddMinutes(-1)));
        var old = Counts(ReplicaSet("nginx:1", 0), 0, 0, 0);
        var current = Counts(ReplicaSet("nginx:2", 3), 3, 3, 3);
        var status = DeploymentStatusCalculator.RolloutStatus(deployment, [old, current], current, Now);
        Assert.Equal(("True", "NewReplicaSetAvailable", "ReplicaSet \"web-hnginx2\" has successfully progressed.", Time(Now), Time(T0.AddMinutes(-1))), Read(Condition(status, "Progressing")));
        Assert.True(DeploymentStatusCalculator.IsComplete(deployment, status));
        Assert.Null(DeploymentStatusCalculator.NextProgressCheck(deployment, status, Now));

        deployment["status"] = status;
        var later = Now.AddHours(2);
        Assert.False(DeploymentStatusCalculator.IsTimedOut(deployment, status, later));
        Assert.Equal(Time(Now), Condition(DeploymentStatusCalculator.RolloutStatus(deployment, [old, current], current, later), "Progressing")!["lastUpdateTime"]!.GetValue<string>());
    }

    [Fact]
    public void A_status_of_an_older_generation_is_not_complete()
    {
        var deployment = Deployment(replicas: 2, generation: 5);
        var status = new JsonObject { ["observedGeneration"] = 4, ["replicas"] = 2, ["updatedReplicas"] = 2, ["availableReplicas"] = 2 };
        Assert.False(DeploymentStatusCalculator.IsComplete(deployment, status));
        status["observedGeneration"] = 5;
        Assert.True(DeploymentStatusCalculator.IsComplete(deployment, status));
    }

    [Fact]
    public void Without_a_new_set_the_message_names_the_deployment()
    {
        var deployment = Deployment(replicas: 2, image: "nginx:2", strategy: "Recreate");
        deployment["status"] = Stored(2, 0, 2, 2, Progressing("True", "ReplicaSetUpdated", T0, T0));
        var old = Counts(ReplicaSet("nginx:1", 0), 1, 1, 1);
        var status = DeploymentStatusCalculator.RolloutStatus(deployment, [old], null, Now);
        Assert.Equal("Deployment \"web\" is progressing.", Condition(status, "Progressing")!["message"]!.GetValue<string>());
    }

    [Fact]
    public void Without_a_progress_deadline_there_is_no_Progressing_condition()
    {
        var deployment = Deployment(progressDeadlineSeconds: null);
        deployment["status"] = Stored(3, 3, 3, 3, Progressing("True", "NewReplicaSetAvailable", T0, T0));
        var rs = Counts(ReplicaSet("nginx:1.27", 3), 3, 3, 3);
        var status = DeploymentStatusCalculator.RolloutStatus(deployment, [rs], rs, Now);
        Assert.Null(Condition(status, "Progressing"));
        Assert.NotNull(Condition(status, "Available"));
        Assert.Null(DeploymentStatusCalculator.NextProgressCheck(deployment, status, Now));
        Assert.False(DeploymentStatusCalculator.HasProgressDeadline(Deployment(progressDeadlineSeconds: int.MaxValue)));
    }

    [Fact]
    public void A_replica_failure_is_copied_from_the_new_set_first()
    {
        var deployment = Deployment(replicas: 3, image: "nginx:2");
        var old = Counts(ReplicaSet("nginx:1", 1), 1, 1, 1);
        var current = Counts(ReplicaSet("nginx:2", 3), 1, 0, 0);
        old["status"]!["conditions"] = new JsonArray(new JsonObject { ["type"] = "ReplicaFailure", ["status"] = "True", ["reason"] = "FailedDelete", ["message"] = "old", ["lastTransitionTime"] = Time(T0) });
        current["status"]!["conditions"] = new JsonArray(new JsonObject { ["type"] = "ReplicaFailure", ["status"] = "True", ["reason"] = "FailedCreate", ["message"] = "exceeded quota", ["lastTransitionTime"] = Time(T0) });
        var failure = Read(Condition(DeploymentStatusCalculator.RolloutStatus(deployment, [old, current], current, Now), "ReplicaFailure"));
        Assert.Equal(("True", "FailedCreate", "exceeded quota", Time(T0), Time(T0)), failure);

        current["status"]!.AsObject().Remove("conditions");
        Assert.Equal("FailedDelete", Condition(DeploymentStatusCalculator.RolloutStatus(deployment, [old, current], current, Now), "ReplicaFailure")!["reason"]!.GetValue<string>());

        old["status"]!.AsObject().Remove("conditions");
        deployment["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "ReplicaFailure", ["status"] = "True" }) };
        Assert.Null(Condition(DeploymentStatusCalculator.RolloutStatus(deployment, [old, current], current, Now), "ReplicaFailure"));
    }

    [Fact]
    public void Pause_and_resume_show_in_Progressing_but_a_timeout_stays()
    {
        var deployment = Deployment(paused: true);
        Assert.True(DeploymentStatusCalculator.ApplyPausedCondition(deployment, Now));
        var paused = Read(Condition(deployment["status"]!.AsObject(), "Progressing"));
        Assert.Equal(("Unknown", "DeploymentPaused", "Deployment is paused"), (paused.Status, paused.Reason, paused.Message));
        Assert.False(DeploymentStatusCalculator.ApplyPausedCondition(deployment, Now.AddMinutes(1)));

        deployment["spec"]!.AsObject().Remove("paused");
        Assert.True(DeploymentStatusCalculator.ApplyPausedCondition(deployment, Now.AddMinutes(2)));
        var resumed = Read(Condition(deployment["status"]!.AsObject(), "Progressing"));
        // Unknown to Unknown: the transition time stays.
        Assert.Equal(("Unknown", "DeploymentResumed", "Deployment is resumed", Time(Now.AddMinutes(2)), Time(Now)), resumed);

        var timedOut = Deployment(paused: true);
        timedOut["status"] = Stored(3, 1, 1, 1, Progressing("False", "ProgressDeadlineExceeded", T0, T0));
        Assert.False(DeploymentStatusCalculator.ApplyPausedCondition(timedOut, Now));
        Assert.Equal("ProgressDeadlineExceeded", Condition(timedOut["status"]!.AsObject(), "Progressing")!["reason"]!.GetValue<string>());
    }

    [Fact]
    public void A_failed_create_is_reported_in_Progressing()
    {
        var deployment = Deployment();
        var status = DeploymentStatusCalculator.CreateFailed(deployment, "web-5d8f7c6b9", "replicasets.apps is forbidden: exceeded quota", Now);
        var progressing = Read(Condition(status, "Progressing"));
        Assert.Equal(("False", "ReplicaSetCreateError", "Failed to create new replica set \"web-5d8f7c6b9\": replicasets.apps is forbidden: exceeded quota"),
            (progressing.Status, progressing.Reason, progressing.Message));
    }
}
