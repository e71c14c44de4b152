using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Scheduling;
using EdgeCloud.Controllers.Tests.Scheduling;
using EdgeCloud.Controllers.Workloads.Jobs;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Tests.Workloads.Jobs;

/// <summary>The Job loop against a real store, with the scheduler binding its pods and the test playing the node.</summary>
public sealed class JobControllerTests
{
    private const string Ns = "batch";

    private static IReadOnlyList<IClusterController> Loops() => [new JobController(), new SchedulerController()];

    private static async Task<ControllerHarness> StartAsync()
    {
        var harness = await ControllerHarness.StartAsync(Loops);
        await harness.CreateAsync(NodeKind.Definition, SchedulerControllerTests.Node("a", cpu: "8"));
        return harness;
    }

    [Fact]
    public async Task Completions_3_parallelism_2_runs_two_at_a_time_and_completes()
    {
        await using var harness = await StartAsync();
        var job = await harness.CreateAsync(JobKind.Definition, Job("pi", completions: 3, parallelism: 2));
        var uid = job.Metadata().GetString("uid")!;

        var first = await WaitForActiveBoundAsync(harness, 2);
        Assert.All(first, pod =>
        {
            Assert.True(JobPods.HasTrackingFinalizer(pod));
            Assert.Equal(uid, pod.Metadata()["labels"]![JobKind.ControllerUidLabel]!.GetValue<string>());
            Assert.Equal("pi", pod.Metadata()["labels"]![JobKind.JobNameLabel]!.GetValue<string>());
            Assert.Equal(uid, pod.Metadata()["ownerReferences"]![0]!["uid"]!.GetValue<string>());
        });
        await harness.WaitForAsync(JobKind.Definition, Ns, "pi", static j => Int(j, "active") == 2 && j?["status"]?["startTime"] is not null, "2 active");

        foreach (var pod in first)
        {
            await FinishAsync(harness, pod, "Succeeded");
        }

        // Only one more is needed: completions 3 minus 2 succeeded.
        var third = await WaitForActiveBoundAsync(harness, 1);
        await harness.WaitForAsync(JobKind.Definition, Ns, "pi", static j => Int(j, "succeeded") == 2, "2 succeeded");
        Assert.Equal(3, (await PodsAsync(harness)).Count);
        await FinishAsync(harness, third[0], "Succeeded");

        var done = await harness.WaitForAsync(JobKind.Definition, Ns, "pi", static j => Condition(j, "Complete")?.GetString("status") == "True", "Complete");
        Assert.Equal(3, Int(done, "succeeded"));
        Assert.Null(Int(done, "active"));
        Assert.Null(Int(done, "failed"));
        Assert.NotNull(done["status"]!["completionTime"]);
        Assert.Equal("CompletionsReached", Condition(done, "Complete")!.GetString("reason"));
        Assert.Equal("True", Condition(done, "SuccessCriteriaMet")?.GetString("status"));
        var pods = await PodsAsync(harness);
        Assert.Equal(3, pods.Count);
        Assert.DoesNotContain(pods, JobPods.HasTrackingFinalizer);
        var reasons = await WaitForEventAsync(harness, "Completed");
        Assert.Equal(3, reasons.Count(r => r == "SuccessfulCreate"));
    }

    [Fact]
    public async Task A_failing_job_waits_out_its_back_off_and_stops_at_backoffLimit()
    {
        await using var harness = await StartAsync();
        await harness.CreateAsync(JobKind.Definition, Job("fail", completions: 1, parallelism: 1, backoffLimit: 2));

        for (var failures = 1; failures <= 2; failures++)
        {
            var pod = Assert.Single(await WaitForActiveBoundAsync(harness, 1));
            await FinishAsync(harness, pod, "Failed");
            var count = failures;

            // The pass that counts the failure decides to wait: nothing active, no new pod.
            var waiting = await harness.WaitForAsync(JobKind.Definition, Ns, "fail", j => Int(j, "failed") == count, $"{count} failed");
            Assert.Null(Int(waiting, "active"));
            Assert.Equal(count, (await PodsAsync(harness)).Count);

            // Back-off: 10 s after the first failure, 20 s after the second.
            var delay = JobBackoff.Delay(failures);
            Assert.Equal(TimeSpan.FromSeconds(10 * Math.Pow(2, failures - 1)), delay);
            await harness.SettleAsync();
            harness.Time.Advance(delay - TimeSpan.FromSeconds(1));
            await harness.SettleAsync();
            Assert.Equal(count, (await PodsAsync(harness)).Count);
            harness.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var last = Assert.Single(await WaitForActiveBoundAsync(harness, 1));
        await FinishAsync(harness, last, "Failed");
        var failed = await harness.WaitForAsync(JobKind.Definition, Ns, "fail", static j => Condition(j, "Failed")?.GetString("status") == "True", "Failed");
        Assert.Equal("BackoffLimitExceeded", Condition(failed, "Failed")!.GetString("reason"));
        Assert.Equal(3, Int(failed, "failed"));
        Assert.Null(failed["status"]!["completionTime"]);

        // Nothing more is started, however long one waits.
        await harness.SettleAsync();
        harness.Time.Advance(TimeSpan.FromMinutes(10));
        await harness.SettleAsync();
        var pods = await PodsAsync(harness);
        Assert.Equal(3, pods.Count);
        Assert.DoesNotContain(pods, JobPods.HasTrackingFinalizer);
        await WaitForEventAsync(harness, "BackoffLimitExceeded");
    }

    [Fact]
    public async Task Active_deadline_fails_the_job_and_stops_its_pods()
    {
        await using var harness = await StartAsync();
        await harness.CreateAsync(JobKind.Definition, Job("slow", completions: 1, parallelism: 1, activeDeadlineSeconds: 30));
        var pod = Assert.Single(await WaitForActiveBoundAsync(harness, 1));
        await harness.UpdateAsync(PodSchemas.Pod, Ns, pod.Metadata().GetString("name")!, static p => p["status"] = new JsonObject { ["phase"] = "Running" });
        await harness.WaitForAsync(JobKind.Definition, Ns, "slow", static j => Int(j, "active") == 1, "1 active");

        await harness.SettleAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(29));
        await harness.SettleAsync();
        Assert.Null(Condition(await harness.GetAsync(JobKind.Definition, Ns, "slow"), "FailureTarget"));

        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await harness.WaitForAsync(JobKind.Definition, Ns, "slow", static j => Condition(j, "FailureTarget")?.GetString("reason") == "DeadlineExceeded", "FailureTarget DeadlineExceeded");
        var terminating = await harness.WaitForListAsync(PodSchemas.Pod, Ns, static list => list.All(static p => p.Metadata()["deletionTimestamp"] is not null && !JobPods.HasTrackingFinalizer(p)), "the pod stopped and released");

        // The node stops the pod and removes it; then the job is Failed.
        foreach (var stopping in terminating)
        {
            await harness.Objects.DeleteAtAsync(ControllerHarness.Cluster, PodSchemas.Pod, Ns, stopping.Metadata().GetString("name")!, long.Parse(stopping.Metadata().GetString("resourceVersion")!, CultureInfo.InvariantCulture), CancellationToken.None);
        }

        var failed = await harness.WaitForAsync(JobKind.Definition, Ns, "slow", static j => Condition(j, "Failed")?.GetString("status") == "True", "Failed");
        Assert.Equal("DeadlineExceeded", Condition(failed, "Failed")!.GetString("reason"));
        Assert.Empty(await PodsAsync(harness));
    }

    [Fact]
    public async Task Ttl_after_finished_deletes_the_job_and_its_pods_once_it_passes()
    {
        await using var harness = await StartAsync();
        await harness.CreateAsync(JobKind.Definition, Job("short", completions: 1, parallelism: 1, ttlSecondsAfterFinished: 60));
        var pod = Assert.Single(await WaitForActiveBoundAsync(harness, 1));
        await FinishAsync(harness, pod, "Succeeded");
        await harness.WaitForAsync(JobKind.Definition, Ns, "short", static j => Condition(j, "Complete")?.GetString("status") == "True", "Complete");

        await harness.SettleAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(59));
        await harness.SettleAsync();
        Assert.NotNull(await harness.GetAsync(JobKind.Definition, Ns, "short"));

        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await harness.WaitForAsync(JobKind.Definition, Ns, "short", static j => j is null, "the job deleted");
        Assert.Empty(await PodsAsync(harness));
    }

    [Fact]
    public async Task A_suspended_job_starts_nothing_until_resumed_and_stops_its_pods_when_suspended_again()
    {
        await using var harness = await StartAsync();
        await harness.CreateAsync(JobKind.Definition, Job("later", completions: 2, parallelism: 2, suspend: true));
        var suspended = await harness.WaitForAsync(JobKind.Definition, Ns, "later", static j => Condition(j, "Suspended")?.GetString("status") == "True", "Suspended");
        Assert.Null(suspended["status"]!["startTime"]);
        Assert.Empty(await PodsAsync(harness));

        await harness.UpdateAsync(JobKind.Definition, Ns, "later", static j => j["spec"]!["suspend"] = false);
        var running = await WaitForActiveBoundAsync(harness, 2);
        var resumed = await harness.WaitForAsync(JobKind.Definition, Ns, "later", static j => Condition(j, "Suspended")?.GetString("status") == "False", "Resumed");
        Assert.Equal("JobResumed", Condition(resumed, "Suspended")!.GetString("reason"));
        foreach (var pod in running)
        {
            await harness.UpdateAsync(PodSchemas.Pod, Ns, pod.Metadata().GetString("name")!, static p => p["status"] = new JsonObject { ["phase"] = "Running" });
        }

        await harness.UpdateAsync(JobKind.Definition, Ns, "later", static j => j["spec"]!["suspend"] = true);
        await harness.WaitForListAsync(PodSchemas.Pod, Ns, static list => list.Count == 2 && list.All(static p => p.Metadata()["deletionTimestamp"] is not null && !JobPods.HasTrackingFinalizer(p)), "both pods stopped and released");
        var again = await harness.WaitForAsync(JobKind.Definition, Ns, "later", static j => Condition(j, "Suspended")?.GetString("status") == "True" && Int(j, "active") is null, "Suspended again");

        // Pods stopped by a suspension do not count as failures.
        Assert.Null(Int(again, "failed"));
        Assert.Contains("Suspended", await WaitForEventAsync(harness, "Resumed"));
    }

    [Fact]
    public async Task A_pod_deleted_from_under_the_job_is_released_counted_and_replaced()
    {
        await using var harness = await StartAsync();
        await harness.CreateAsync(JobKind.Definition, Job("pi", completions: 1, parallelism: 1));
        var pod = Assert.Single(await WaitForActiveBoundAsync(harness, 1));
        var name = pod.Metadata().GetString("name")!;

        // A deletion with no grace left, as `kubectl delete --grace-period=0 --force` or the pod GC makes it: only the finalizer holds the pod.
        await harness.UpdateAsync(PodSchemas.Pod, Ns, name, p =>
        {
            p.Metadata()["deletionTimestamp"] = ResourceStore.Timestamp(harness.Time.GetUtcNow());
            p.Metadata()["deletionGracePeriodSeconds"] = 0;
        });

        await harness.WaitForAsync(PodSchemas.Pod, Ns, name, static p => p is null, "the deleted pod gone");
        var counted = await harness.WaitForAsync(JobKind.Definition, Ns, "pi", static j => Int(j, "failed") == 1, "1 failed");
        Assert.Null(Condition(counted, "Failed"));
        await harness.SettleAsync();
        harness.Time.Advance(JobBackoff.Initial);
        var replacement = Assert.Single(await WaitForActiveBoundAsync(harness, 1));
        Assert.NotEqual(name, replacement.Metadata().GetString("name"));
    }

    [Fact]
    public async Task Pods_of_a_deleted_job_lose_their_tracking_finalizer()
    {
        await using var harness = await StartAsync();
        var job = await harness.CreateAsync(JobKind.Definition, Job("gone", completions: 2, parallelism: 2));
        await WaitForActiveBoundAsync(harness, 2);
        await harness.SettleAsync();
        var stored = (await harness.GetAsync(JobKind.Definition, Ns, "gone"))!;
        await harness.Objects.DeleteAtAsync(ControllerHarness.Cluster, JobKind.Definition, Ns, "gone", long.Parse(stored.Metadata().GetString("resourceVersion")!, CultureInfo.InvariantCulture), CancellationToken.None);

        var released = await harness.WaitForListAsync(PodSchemas.Pod, Ns, static list => list.Count == 2 && list.All(static p => !JobPods.HasTrackingFinalizer(p)), "both pods released");
        Assert.All(released, p => Assert.Equal(job.Metadata().GetString("uid"), p.Metadata()["ownerReferences"]![0]!["uid"]!.GetValue<string>()));
    }

    // A Job as `kubectl create job` sends it, after defaulting; the selector and labels come from the store's create hook.
    private static JsonObject Job(string name, int completions, int parallelism, int backoffLimit = 6, long? activeDeadlineSeconds = null, int? ttlSecondsAfterFinished = null, bool suspend = false)
    {
        var spec = new JsonObject
        {
            ["completions"] = completions,
            ["parallelism"] = parallelism,
            ["backoffLimit"] = backoffLimit,
            ["completionMode"] = "NonIndexed",
            ["suspend"] = suspend,
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject(),
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "work", ["image"] = "busybox", ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "100m" } } }),
                    ["restartPolicy"] = "Never",
                },
            },
        };
        if (activeDeadlineSeconds is { } ads)
        {
            spec["activeDeadlineSeconds"] = ads;
        }

        if (ttlSecondsAfterFinished is { } ttl)
        {
            spec["ttlSecondsAfterFinished"] = ttl;
        }

        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
            ["spec"] = spec,
        };
    }

    private static async Task<List<JsonObject>> PodsAsync(ControllerHarness harness) =>
        [.. (await harness.Objects.ListAsync(ControllerHarness.Cluster, PodSchemas.Pod, Ns, 0, null, 0, static _ => true, CancellationToken.None)).Items];

    // Events are recorded after the status they explain is written: wait for the one expected, return all reasons.
    private static async Task<List<string>> WaitForEventAsync(ControllerHarness harness, string reason) =>
        [.. (await harness.WaitForListAsync(EventKind.Definition, Ns, list => list.Any(e => e.GetString("reason") == reason), $"a {reason} event"))
            .Select(static e => e.GetString("reason") ?? "")];

    // Pods that are bound, not finished and not being deleted: what the node would be running.
    private static async Task<List<JsonObject>> WaitForActiveBoundAsync(ControllerHarness harness, int count)
    {
        static bool Active(JsonObject p) => p["spec"]?["nodeName"] is not null && p.Metadata()["deletionTimestamp"] is null
            && (p["status"] as JsonObject)?.GetString("phase") is not ("Succeeded" or "Failed");
        var pods = await harness.WaitForListAsync(PodSchemas.Pod, Ns, list => list.Count(Active) == count, $"{count} active bound pods");
        return [.. pods.Where(Active)];
    }

    /// <summary>Plays the node: the pod's only container terminated (exit 0 for Succeeded, 1 for Failed) now.</summary>
    private static Task FinishAsync(ControllerHarness harness, JsonObject pod, string phase)
    {
        var at = ResourceStore.Timestamp(harness.Time.GetUtcNow());
        return harness.UpdateAsync(PodSchemas.Pod, Ns, pod.Metadata().GetString("name")!, p => p["status"] = new JsonObject
        {
            ["phase"] = phase,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "False", ["reason"] = "PodCompleted", ["lastTransitionTime"] = at }),
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = "work",
                ["image"] = "docker.io/library/busybox:latest",
                ["imageID"] = "docker.io/library/busybox@sha256:0000000000000000000000000000000000000000000000000000000000000000",
                ["ready"] = false,
                ["restartCount"] = 0,
                ["state"] = new JsonObject
                {
                    ["terminated"] = new JsonObject { ["exitCode"] = phase == "Succeeded" ? 0 : 1, ["reason"] = phase == "Succeeded" ? "Completed" : "Error", ["finishedAt"] = at },
                },
            }),
        });
    }

    private static JsonObject? Condition(JsonObject? job, string type) =>
        (job?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == type);

    private static int? Int(JsonObject? job, string field) => job?["status"]?[field] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
}
