using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Workloads;
using EdgeCloud.Controllers.Workloads.Jobs;
using static EdgeCloud.Controllers.Tests.Workloads.Jobs.JobObjects;

namespace EdgeCloud.Controllers.Tests.Workloads.Jobs;

public sealed class JobPlanningTests
{
    [Fact]
    public void A_new_job_starts_and_creates_up_to_parallelism_pods()
    {
        var plan = JobPlanning.Plan(Job(completions: 5, parallelism: 2), [], Now);
        Assert.Equal(2, plan.PodsToCreate.Count);
        Assert.Equal(Time(Now), plan.Status["startTime"]!.GetValue<string>());
        Assert.Equal(2, Count(plan.Status, "active"));
        Assert.Equal(0, Count(plan.Status, "ready"));
        Assert.Equal(0, Count(plan.Status, "terminating"));
        Assert.Null(Count(plan.Status, "succeeded"));
        Assert.NotNull(plan.Status["uncountedTerminatedPods"]);
        Assert.Null(plan.Status["conditions"]);
        Assert.False(plan.Finished);
    }

    [Fact]
    public void Job_pods_carry_the_job_labels_finalizer_and_owner()
    {
        var pod = JobPods.Build(Job());
        var metadata = pod["metadata"]!;
        Assert.Equal("pi-", metadata["generateName"]!.GetValue<string>());
        Assert.Equal("batch", metadata["namespace"]!.GetValue<string>());
        Assert.Equal("job-uid-1", metadata["labels"]!["batch.kubernetes.io/controller-uid"]!.GetValue<string>());
        Assert.Equal("pi", metadata["labels"]!["batch.kubernetes.io/job-name"]!.GetValue<string>());
        Assert.Equal("job-uid-1", metadata["labels"]!["controller-uid"]!.GetValue<string>());
        Assert.Equal("pi", metadata["labels"]!["job-name"]!.GetValue<string>());
        Assert.Equal("pi", metadata["labels"]!["app"]!.GetValue<string>());
        Assert.True(JobPods.HasTrackingFinalizer(pod));
        Assert.Equal("job-uid-1", ControllerRefs.ControllerUid(pod));
        Assert.Equal("Never", pod["spec"]!["restartPolicy"]!.GetValue<string>());
    }

    [Fact]
    public void Only_the_remaining_completions_are_started()
    {
        var job = Job(completions: 3, parallelism: 3);
        job["status"] = new JsonObject { ["startTime"] = Time(Now.AddMinutes(-3)), ["succeeded"] = 2 };
        var plan = JobPlanning.Plan(job, [], Now);
        Assert.Single(plan.PodsToCreate);
        Assert.Equal(Time(Now.AddMinutes(-3)), plan.Status["startTime"]!.GetValue<string>());
    }

    [Fact]
    public void A_finished_pod_is_counted_once_through_the_finalizer_protocol()
    {
        var job = Job(completions: 2, parallelism: 1);
        var done = Pod("Succeeded");
        var pods = new List<JsonObject> { done };

        // First the uid is recorded as uncounted, and only then may the finalizer go.
        var first = JobPlanning.Plan(job, pods, Now);
        Assert.Equal([Uid(done)], Uncounted(first.Status, "succeeded"));
        Assert.Null(Count(first.Status, "succeeded"));
        Assert.Same(done, Assert.Single(first.PodsToRemoveFinalizer));
        // The second completion is started at once: decisions count uncounted pods too.
        Assert.Single(first.PodsToCreate);
        Apply(job, pods, first, Now);

        var second = JobPlanning.Plan(job, pods, Now);
        Assert.Equal(1, Count(second.Status, "succeeded"));
        Assert.Empty(Uncounted(second.Status, "succeeded"));
        Assert.Empty(second.PodsToRemoveFinalizer);
        Apply(job, pods, second, Now);

        var third = JobPlanning.Plan(job, pods, Now);
        Assert.Equal(1, Count(third.Status, "succeeded"));
        Assert.Empty(third.PodsToCreate);
    }

    [Fact]
    public void A_job_completes_through_success_criteria_met_then_complete()
    {
        var job = Job(completions: 1);
        job["status"] = new JsonObject { ["startTime"] = Time(Now.AddMinutes(-5)) };
        var pods = new List<JsonObject> { Pod("Succeeded") };

        var first = JobPlanning.Plan(job, pods, Now);
        var met = Condition(first.Status, JobConditions.SuccessCriteriaMet)!;
        Assert.Equal("True", met["status"]!.GetValue<string>());
        Assert.Equal("CompletionsReached", met["reason"]!.GetValue<string>());
        Assert.Equal("Reached expected number of succeeded pods", met["message"]!.GetValue<string>());
        Assert.Null(Condition(first.Status, JobConditions.Complete));
        Assert.Empty(first.PodsToCreate);
        Apply(job, pods, first, Now);

        var later = Now.AddSeconds(1);
        var second = JobPlanning.Plan(job, pods, later);
        var complete = Condition(second.Status, JobConditions.Complete)!;
        Assert.Equal("True", complete["status"]!.GetValue<string>());
        Assert.Equal("CompletionsReached", complete["reason"]!.GetValue<string>());
        Assert.Equal(Time(later), second.Status["completionTime"]!.GetValue<string>());
        Assert.Equal(1, Count(second.Status, "succeeded"));
        Assert.Null(Count(second.Status, "active"));
        Assert.True(second.Finished);
        Assert.Contains(new JobEvent("Normal", "Completed", "Job completed"), second.Events);
        Apply(job, pods, second, later);
        Assert.True(JobConditions.IsFinished(job));
        Assert.Equal(later, JobConditions.FinishedAt(job));
    }

    [Fact]
    public void A_finished_job_only_lets_go_of_pods()
    {
        var job = Job();
        job["status"] = JsonNode.Parse($$"""{"succeeded":1,"conditions":[{"type":"Complete","status":"True","lastTransitionTime":"{{Time(Now)}}"}]}""");
        var straggler = Pod("Running");
        var plan = JobPlanning.Plan(job, [straggler, Pod("Succeeded", finalizer: false)], Now);
        Assert.True(plan.Finished);
        Assert.Empty(plan.PodsToCreate);
        Assert.Empty(plan.PodsToDelete);
        Assert.Same(straggler, Assert.Single(plan.PodsToRemoveFinalizer));
        Assert.Equal(1, Count(plan.Status, "succeeded"));
    }

    [Fact]
    public void A_work_queue_stops_adding_pods_after_the_first_success_and_completes_when_all_are_done()
    {
        var job = Job(completions: null, parallelism: 3);
        job["status"] = new JsonObject { ["startTime"] = Time(Now.AddMinutes(-5)), ["succeeded"] = 1 };
        var running = new[] { Pod("Running"), Pod("Running") };
        var plan = JobPlanning.Plan(job, [Pod("Succeeded", finalizer: false), .. running], Now);
        Assert.Empty(plan.PodsToCreate);
        Assert.Empty(plan.PodsToDelete);
        Assert.Null(Condition(plan.Status, JobConditions.SuccessCriteriaMet));

        var done = JobPlanning.Plan(job, [Pod("Succeeded", finalizer: false), Pod("Succeeded", finalizer: false)], Now);
        Assert.Equal("True", Condition(done.Status, JobConditions.SuccessCriteriaMet)!["status"]!.GetValue<string>());
        Assert.Equal("True", Condition(done.Status, JobConditions.Complete)!["status"]!.GetValue<string>());
    }

    [Fact]
    public void A_job_that_keeps_failing_stops_at_the_backoff_limit()
    {
        var job = Job(completions: 1, parallelism: 1, backoffLimit: 2);
        job["status"] = new JsonObject { ["startTime"] = Time(Now.AddMinutes(-5)), ["failed"] = 2 };
        var pods = new List<JsonObject> { Pod("Failed", finalizer: false), Pod("Failed", finalizer: false), Pod("Failed") };

        var first = JobPlanning.Plan(job, pods, Now);
        var target = Condition(first.Status, JobConditions.FailureTarget)!;
        Assert.Equal("BackoffLimitExceeded", target["reason"]!.GetValue<string>());
        Assert.Equal("Job has reached the specified backoff limit", target["message"]!.GetValue<string>());
        Assert.Null(Condition(first.Status, JobConditions.Failed));
        Assert.Empty(first.PodsToCreate);
        Apply(job, pods, first, Now);

        var second = JobPlanning.Plan(job, pods, Now);
        var failed = Condition(second.Status, JobConditions.Failed)!;
        Assert.Equal("True", failed["status"]!.GetValue<string>());
        Assert.Equal("BackoffLimitExceeded", failed["reason"]!.GetValue<string>());
        Assert.Equal(3, Count(second.Status, "failed"));
        Assert.Null(second.Status["completionTime"]);
        Assert.Contains(new JobEvent("Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit"), second.Events);
        Assert.True(second.Finished);
    }

    [Fact]
    public void Failures_up_to_the_limit_are_retried_after_the_back_off()
    {
        var job = Job(completions: 1, parallelism: 1, backoffLimit: 2);
        job["status"] = new JsonObject { ["startTime"] = Time(Now.AddMinutes(-5)), ["failed"] = 1 };
        var pods = new[] { Pod("Failed", finalizer: false, finishedAt: Now.AddSeconds(-30)), Pod("Failed", finishedAt: Now.AddSeconds(-5)) };

        var plan = JobPlanning.Plan(job, pods, Now);
        Assert.Null(Condition(plan.Status, JobConditions.FailureTarget));
        Assert.Empty(plan.PodsToCreate);
        // Two failures since the last success: 20 s from the last one, 5 s ago.
        Assert.Equal(TimeSpan.FromSeconds(15), plan.BackoffDelay);
        Assert.Equal(TimeSpan.FromSeconds(15), plan.RequeueAfter);

        var later = JobPlanning.Plan(job, pods, Now.AddSeconds(15));
        Assert.Single(later.PodsToCreate);
        Assert.Null(later.BackoffDelay);
    }

    [Fact]
    public void A_success_resets_the_back_off()
    {
        var pods = new[]
        {
            Pod("Failed", finishedAt: Now.AddSeconds(-50)),
            Pod("Failed", finishedAt: Now.AddSeconds(-40)),
            Pod("Succeeded", finishedAt: Now.AddSeconds(-30)),
            Pod("Failed", finishedAt: Now.AddSeconds(-2)),
        };
        Assert.Equal(TimeSpan.FromSeconds(8), JobPlanning.BackoffRemaining(pods, onlyReplaceFailed: false, Now));
        Assert.Equal(TimeSpan.Zero, JobPlanning.BackoffRemaining(pods.Take(3).ToArray(), onlyReplaceFailed: false, Now));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(6, 320)]
    [InlineData(7, 360)]
    [InlineData(50, 360)]
    public void Back_off_doubles_from_ten_seconds_to_six_minutes(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), JobBackoff.Delay(failures));

    [Fact]
    public void Container_restarts_count_against_the_limit_with_restart_policy_on_failure()
    {
        var job = Job(backoffLimit: 3, restartPolicy: "OnFailure");
        job["status"] = new JsonObject { ["startTime"] = Time(Now.AddMinutes(-5)) };
        Assert.Null(Condition(JobPlanning.Plan(job, [Pod("Running", restarts: 2)], Now).Status, JobConditions.FailureTarget));
        var plan = JobPlanning.Plan(job, [Pod("Running", restarts: 3)], Now);
        Assert.Equal("BackoffLimitExceeded", Condition(plan.Status, JobConditions.FailureTarget)!["reason"]!.GetValue<string>());
        Assert.Single(plan.PodsToDelete);
    }

    [Fact]
    public void A_job_past_its_active_deadline_fails_and_its_pods_are_stopped()
    {
        var job = Job(completions: 4, parallelism: 2, activeDeadlineSeconds: 60);
        job["status"] = new JsonObject { ["startTime"] = Time(Now.AddSeconds(-45)), ["active"] = 2 };
        var pods = new List<JsonObject> { Pod("Running"), Pod("Running") };

        var before = JobPlanning.Plan(job, pods, Now);
        Assert.Null(Condition(before.Status, JobConditions.FailureTarget));
        Assert.Equal(TimeSpan.FromSeconds(15), before.RequeueAfter);

        var at = Now.AddSeconds(15);
        var plan = JobPlanning.Plan(job, pods, at);
        var target = Condition(plan.Status, JobConditions.FailureTarget)!;
        Assert.Equal("DeadlineExceeded", target["reason"]!.GetValue<string>());
        Assert.Equal("Job was active longer than specified deadline", target["message"]!.GetValue<string>());
        Assert.Equal(2, plan.PodsToDelete.Count);
        Assert.Empty(plan.PodsToCreate);
        Assert.Null(Count(plan.Status, "active"));

        // The stopped pods count as failed, and once they are gone the job is Failed.
        Apply(job, pods, plan, at);
        var counting = JobPlanning.Plan(job, pods, at);
        Assert.Equal(2, Uncounted(counting.Status, "failed").Length);
        Apply(job, pods, counting, at);
        var final = JobPlanning.Plan(job, pods, at);
        Assert.Equal("DeadlineExceeded", Condition(final.Status, JobConditions.Failed)!["reason"]!.GetValue<string>());
        Assert.Equal(2, Count(final.Status, "failed"));
    }

    [Fact]
    public void Extra_active_pods_are_removed_cheapest_first()
    {
        var job = Job(completions: 10, parallelism: 1);
        job["status"] = new JsonObject { ["startTime"] = Time(Now.AddMinutes(-5)) };
        var readyOld = Pod("Running", created: Now.AddMinutes(-9));
        var readyNew = Pod("Running", created: Now.AddMinutes(-1));
        var pending = Pod("Pending", ready: false);
        var unbound = Pod("Pending", ready: false, bound: false);
        var plan = JobPlanning.Plan(job, [readyOld, pending, readyNew, unbound], Now);
        Assert.Equal([unbound, pending, readyNew], plan.PodsToDelete);
        Assert.Equal(1, Count(plan.Status, "active"));
        Assert.Equal(1, Count(plan.Status, "ready"));
    }

    [Fact]
    public void A_pod_deleted_from_under_the_job_counts_as_failed_and_is_replaced()
    {
        var job = Job(completions: 1);
        job["status"] = new JsonObject { ["startTime"] = Time(Now.AddMinutes(-5)) };
        var deleted = Pod("Running", terminating: true, finishedAt: null);
        var plan = JobPlanning.Plan(job, [deleted], Now);
        Assert.Equal([Uid(deleted)], Uncounted(plan.Status, "failed"));
        Assert.Equal(1, Count(plan.Status, "terminating"));
        // Back-off from the deletion's failure still applies before the replacement.
        Assert.NotNull(plan.BackoffDelay);
    }

    [Fact]
    public void With_replacement_policy_failed_a_terminating_pod_is_neither_counted_nor_replaced()
    {
        var job = Job(completions: 1, podReplacementPolicy: "Failed");
        job["status"] = new JsonObject { ["startTime"] = Time(Now.AddMinutes(-5)) };
        var plan = JobPlanning.Plan(job, [Pod("Running", terminating: true)], Now);
        Assert.Empty(Uncounted(plan.Status, "failed"));
        Assert.Empty(plan.PodsToCreate);
        Assert.Null(plan.BackoffDelay);
    }

    [Fact]
    public void A_job_read_from_the_wire_obeys_its_limits()
    {
        var job = JsonNode.Parse(Job(completions: 1, backoffLimit: 1).ToJsonString())!.AsObject();
        job["status"] = new JsonObject { ["startTime"] = Time(Now.AddMinutes(-5)), ["failed"] = 1 };
        job["status"] = JsonNode.Parse(job["status"]!.ToJsonString());
        var plan = JobPlanning.Plan(job, [Pod("Failed")], Now);
        Assert.Equal("BackoffLimitExceeded", Condition(plan.Status, JobConditions.FailureTarget)!["reason"]!.GetValue<string>());
    }
}
