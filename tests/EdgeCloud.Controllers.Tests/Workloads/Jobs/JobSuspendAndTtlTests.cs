using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Workloads.Jobs;
using static EdgeCloud.Controllers.Tests.Workloads.Jobs.JobObjects;

namespace EdgeCloud.Controllers.Tests.Workloads.Jobs;

public sealed class JobSuspendAndTtlTests
{
    [Fact]
    public void A_job_created_suspended_neither_starts_nor_creates_pods()
    {
        var plan = JobPlanning.Plan(Job(suspend: true, activeDeadlineSeconds: 10), [], Now);
        Assert.Empty(plan.PodsToCreate);
        Assert.Null(plan.Status["startTime"]);
        var suspended = Condition(plan.Status, JobConditions.Suspended)!;
        Assert.Equal("True", suspended["status"]!.GetValue<string>());
        Assert.Equal("JobSuspended", suspended["reason"]!.GetValue<string>());
        Assert.Equal("Job suspended", suspended["message"]!.GetValue<string>());
        Assert.Contains(new JobEvent("Normal", "Suspended", "Job suspended"), plan.Events);
        Assert.Null(plan.RequeueAfter);
    }

    [Fact]
    public void Suspending_stops_the_pods_without_counting_them_as_failures()
    {
        var job = Job(completions: 3, parallelism: 2, backoffLimit: 0, suspend: true);
        job["status"] = new JsonObject { ["startTime"] = Time(Now.AddMinutes(-5)), ["active"] = 2 };
        var pods = new List<JsonObject> { Pod("Running"), Pod("Running") };
        var plan = JobPlanning.Plan(job, pods, Now);
        Assert.Equal(2, plan.PodsToDelete.Count);
        Assert.Null(Count(plan.Status, "active"));
        Apply(job, pods, plan, Now);

        var next = JobPlanning.Plan(job, pods, Now);
        Assert.Empty(Uncounted(next.Status, "failed"));
        Assert.Equal(2, next.PodsToRemoveFinalizer.Count);
        Assert.Null(Condition(next.Status, JobConditions.FailureTarget));
        Assert.Empty(next.Events);
    }

    [Fact]
    public void Resuming_restarts_the_clock_for_the_active_deadline()
    {
        var job = Job(completions: 1, activeDeadlineSeconds: 60);
        job["status"] = JsonNode.Parse($$"""
            {"startTime": "{{Time(Now.AddHours(-1))}}",
             "conditions": [{"type": "Suspended", "status": "True", "reason": "JobSuspended", "message": "Job suspended",
                             "lastProbeTime": "{{Time(Now.AddHours(-1))}}", "lastTransitionTime": "{{Time(Now.AddHours(-1))}}"}]}
            """);
        var plan = JobPlanning.Plan(job, [], Now);
        Assert.Equal(Time(Now), plan.Status["startTime"]!.GetValue<string>());
        var suspended = Condition(plan.Status, JobConditions.Suspended)!;
        Assert.Equal("False", suspended["status"]!.GetValue<string>());
        Assert.Equal("JobResumed", suspended["reason"]!.GetValue<string>());
        Assert.Equal(Time(Now), suspended["lastTransitionTime"]!.GetValue<string>());
        Assert.Null(Condition(plan.Status, JobConditions.FailureTarget));
        Assert.Single(plan.PodsToCreate);
        Assert.Equal(TimeSpan.FromSeconds(60), plan.RequeueAfter);
        Assert.Contains(new JobEvent("Normal", "Resumed", "Job resumed"), plan.Events);
    }

    [Fact]
    public void A_finished_job_expires_ttl_seconds_after_it_finished()
    {
        var job = Job(ttlSecondsAfterFinished: 100);
        Assert.Null(JobTtl.ExpiresAt(job));
        job["status"] = JsonNode.Parse($$"""
            {"conditions": [{"type": "SuccessCriteriaMet", "status": "True", "lastTransitionTime": "{{Time(Now.AddSeconds(-5))}}"},
                            {"type": "Complete", "status": "True", "lastTransitionTime": "{{Time(Now)}}"}]}
            """);
        Assert.Equal(Now.AddSeconds(100), JobTtl.ExpiresAt(job));
        Assert.False(JobTtl.IsExpired(job, Now.AddSeconds(99)));
        Assert.True(JobTtl.IsExpired(job, Now.AddSeconds(100)));

        job["metadata"]!["deletionTimestamp"] = Time(Now);
        Assert.Null(JobTtl.ExpiresAt(job));
    }

    [Fact]
    public void A_failed_job_expires_too_and_one_without_ttl_never()
    {
        var failed = Job(ttlSecondsAfterFinished: 0);
        failed["status"] = JsonNode.Parse($$"""{"conditions": [{"type": "Failed", "status": "True", "lastTransitionTime": "{{Time(Now)}}"}]}""");
        Assert.True(JobTtl.IsExpired(failed, Now));

        var kept = Job();
        kept["status"] = failed["status"]!.DeepClone();
        Assert.Null(JobTtl.ExpiresAt(kept));
    }

    [Fact]
    public void A_job_runs_to_completion_over_several_syncs()
    {
        var job = Job(completions: 3, parallelism: 2);
        var pods = new List<JsonObject>();
        var now = Now;
        var created = 0;
        for (var sync = 0; sync < 20 && !JobConditions.IsFinished(job); sync++)
        {
            var plan = JobPlanning.Plan(job, pods, now);
            created += plan.PodsToCreate.Count;
            Assert.True(Count(plan.Status, "active") is null or <= 2);
            Apply(job, pods, plan, now);
            now = now.AddSeconds(10);
            // The kubelet finishes every running pod before the next sync.
            foreach (var pod in pods.Where(p => p["status"]!["phase"]!.GetValue<string>() == "Pending"))
            {
                Finish(pod, "Succeeded", now);
            }
        }

        Assert.True(JobConditions.Holds(job, JobConditions.Complete));
        Assert.Equal(3, created);
        Assert.Equal(3, Count(job["status"]!.AsObject(), "succeeded"));
        Assert.NotNull(job["status"]!["completionTime"]);
        Assert.All(pods, p => Assert.False(JobPods.HasTrackingFinalizer(p)));
    }
}
