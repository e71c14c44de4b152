using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Workloads.Jobs;

namespace EdgeCloud.Controllers.Tests.Workloads.Jobs;

/// <summary>Jobs and their pods as the API stores them, and a tiny stand-in for the API that carries out plans.</summary>
internal static class JobObjects
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonObject Job(
        int? completions = 1,
        int parallelism = 1,
        int backoffLimit = 6,
        long? activeDeadlineSeconds = null,
        bool suspend = false,
        int? ttlSecondsAfterFinished = null,
        string restartPolicy = "Never",
        string? podReplacementPolicy = null)
    {
        var spec = new JsonObject
        {
            ["parallelism"] = parallelism,
            ["backoffLimit"] = backoffLimit,
            ["completionMode"] = "NonIndexed",
            ["suspend"] = suspend,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["batch.kubernetes.io/controller-uid"] = "job-uid-1" } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "pi" } },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "pi", ["image"] = "perl:5.34", ["command"] = new JsonArray("perl", "-e", "print 1") }),
                    ["restartPolicy"] = restartPolicy,
                },
            },
        };
        if (completions is { } c)
        {
            spec["completions"] = c;
        }

        if (activeDeadlineSeconds is { } ads)
        {
            spec["activeDeadlineSeconds"] = ads;
        }

        if (ttlSecondsAfterFinished is { } ttl)
        {
            spec["ttlSecondsAfterFinished"] = ttl;
        }

        if (podReplacementPolicy is not null)
        {
            spec["podReplacementPolicy"] = podReplacementPolicy;
        }

        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject
            {
                ["name"] = "pi",
                ["namespace"] = "batch",
                ["uid"] = "job-uid-1",
                ["generation"] = 1,
                ["creationTimestamp"] = Time(Now.AddMinutes(-10)),
            },
            ["spec"] = spec,
        };
    }

    private static int _podCount;

    /// <summary>A pod of the job; a finished one records when its container terminated.</summary>
    public static JsonObject Pod(
        string phase = "Running",
        bool ready = true,
        bool finalizer = true,
        DateTimeOffset? created = null,
        DateTimeOffset? finishedAt = null,
        bool terminating = false,
        bool bound = true,
        int restarts = 0)
    {
        var n = Interlocked.Increment(ref _podCount);
        var metadata = new JsonObject
        {
            ["name"] = $"pi-{n:D5}",
            ["namespace"] = "batch",
            ["uid"] = $"job-pod-{n}",
            ["creationTimestamp"] = Time(created ?? Now.AddMinutes(-5)),
            ["labels"] = new JsonObject { ["app"] = "pi", ["batch.kubernetes.io/controller-uid"] = "job-uid-1" },
        };
        if (finalizer)
        {
            metadata["finalizers"] = new JsonArray(JobPods.TrackingFinalizer);
        }

        if (terminating)
        {
            metadata["deletionTimestamp"] = Time(Now.AddSeconds(-1));
        }

        var container = new JsonObject { ["name"] = "pi", ["restartCount"] = restarts };
        if (phase is "Succeeded" or "Failed")
        {
            container["state"] = new JsonObject
            {
                ["terminated"] = new JsonObject
                {
                    ["exitCode"] = phase == "Succeeded" ? 0 : 1,
                    ["finishedAt"] = Time(finishedAt ?? Now.AddMinutes(-1)),
                },
            };
        }

        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "pi", ["image"] = "perl:5.34" }) };
        if (bound)
        {
            spec["nodeName"] = "edge-1";
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["phase"] = phase,
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = ready && phase == "Running" ? "True" : "False",
                    ["lastTransitionTime"] = Time(Now.AddMinutes(-2)),
                }),
                ["containerStatuses"] = new JsonArray(container),
            },
        };
    }

    /// <summary>Carries out <paramref name="plan"/> as the API would: status written, finalizers removed, pods created and deleted.</summary>
    public static void Apply(JsonObject job, List<JsonObject> pods, JobPlan plan, DateTimeOffset now)
    {
        job["status"] = plan.Status.DeepClone();
        foreach (var pod in plan.PodsToRemoveFinalizer)
        {
            var finalizers = pod["metadata"]!["finalizers"]!.AsArray();
            finalizers.Remove(finalizers.First(f => f!.GetValue<string>() == JobPods.TrackingFinalizer));
            if (pod["metadata"]!["deletionTimestamp"] is not null && finalizers.Count == 0)
            {
                pods.Remove(pod);
            }
        }

        foreach (var pod in plan.PodsToDelete)
        {
            if (JobPods.HasTrackingFinalizer(pod))
            {
                pod["metadata"]!["deletionTimestamp"] = Time(now);
            }
            else
            {
                pods.Remove(pod);
            }
        }

        foreach (var pod in plan.PodsToCreate)
        {
            var n = Interlocked.Increment(ref _podCount);
            pod["metadata"]!["name"] = $"pi-{n:D5}";
            pod["metadata"]!["uid"] = $"job-pod-{n}";
            pod["metadata"]!["creationTimestamp"] = Time(now);
            pod["status"] = new JsonObject { ["phase"] = "Pending" };
            pods.Add(pod);
        }
    }

    /// <summary>The kubelet: a pod runs to <paramref name="phase"/> at <paramref name="at"/>.</summary>
    public static void Finish(JsonObject pod, string phase, DateTimeOffset at)
    {
        pod["status"] = new JsonObject
        {
            ["phase"] = phase,
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = "pi",
                ["state"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = phase == "Succeeded" ? 0 : 1, ["finishedAt"] = Time(at) } },
            }),
        };
    }

    public static string Uid(JsonObject pod) => pod["metadata"]!["uid"]!.GetValue<string>();

    public static int? Count(JsonObject status, string field) => status[field]?.GetValue<int>();

    public static JsonObject? Condition(JsonObject status, string type) =>
        (status["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]!.GetValue<string>() == type);

    public static string[] Uncounted(JsonObject status, string kind) =>
        (status["uncountedTerminatedPods"]?[kind] as JsonArray)?.Select(u => u!.GetValue<string>()).ToArray() ?? [];
}
