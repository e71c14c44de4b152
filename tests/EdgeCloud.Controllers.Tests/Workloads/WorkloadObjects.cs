using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Workloads;

namespace EdgeCloud.Controllers.Tests.Workloads;

/// <summary>Builders for Deployments, ReplicaSets and Pods as the API server stores them (defaults filled in).</summary>
internal static class WorkloadObjects
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonObject Deployment(
        int replicas = 3,
        string image = "nginx:1.27",
        string strategy = "RollingUpdate",
        string maxSurge = "25%",
        string maxUnavailable = "25%",
        long generation = 1,
        int? progressDeadlineSeconds = 600,
        int? revisionHistoryLimit = 10,
        bool paused = false,
        int minReadySeconds = 0)
    {
        var spec = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
            ["template"] = Template(image),
            ["strategy"] = strategy == "RollingUpdate"
                ? new JsonObject { ["type"] = strategy, ["rollingUpdate"] = new JsonObject { ["maxSurge"] = Surge(maxSurge), ["maxUnavailable"] = Surge(maxUnavailable) } }
                : new JsonObject { ["type"] = strategy },
        };
        if (progressDeadlineSeconds is { } deadline)
        {
            spec["progressDeadlineSeconds"] = deadline;
        }

        if (revisionHistoryLimit is { } limit)
        {
            spec["revisionHistoryLimit"] = limit;
        }

        if (paused)
        {
            spec["paused"] = true;
        }

        if (minReadySeconds > 0)
        {
            spec["minReadySeconds"] = minReadySeconds;
        }

        // Round-trip through text, so values are JsonElement-backed like objects read from the store.
        return JsonNode.Parse(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject
            {
                ["name"] = "web",
                ["namespace"] = "default",
                ["uid"] = "d-uid",
                ["generation"] = generation,
                ["creationTimestamp"] = Time(Now.AddHours(-1)),
            },
            ["spec"] = spec,
        }.ToJsonString())!.AsObject();
    }

    public static JsonObject Template(string image) => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = image, ["imagePullPolicy"] = "IfNotPresent" }),
            ["restartPolicy"] = "Always",
        },
    };

    /// <summary>A ReplicaSet of the Deployment for <paramref name="image"/>, sized and with the status its pods would give.</summary>
    public static JsonObject ReplicaSet(
        string image,
        int replicas,
        int? available = null,
        int? statusReplicas = null,
        long revision = 1,
        int createdMinutesAgo = 30,
        string? hash = null,
        int? desired = null,
        int? max = null)
    {
        hash ??= "h" + image.Replace(":", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal);
        var template = Template(image);
        template["metadata"]!["labels"]![PodTemplateHash.Label] = hash;
        var annotations = new JsonObject { [DeploymentPlanning.RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture) };
        if (desired is { } d)
        {
            annotations[DeploymentPlanning.DesiredReplicasAnnotation] = d.ToString(CultureInfo.InvariantCulture);
        }

        if (max is { } m)
        {
            annotations[DeploymentPlanning.MaxReplicasAnnotation] = m.ToString(CultureInfo.InvariantCulture);
        }

        var have = statusReplicas ?? replicas;
        var ready = available ?? replicas;
        return JsonNode.Parse(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = "web-" + hash,
                ["namespace"] = "default",
                ["uid"] = "rs-" + hash,
                ["generation"] = 1,
                ["resourceVersion"] = "7",
                ["creationTimestamp"] = Time(Now.AddMinutes(-createdMinutesAgo)),
                ["labels"] = new JsonObject { ["app"] = "web", [PodTemplateHash.Label] = hash },
                ["annotations"] = annotations,
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "web", ["uid"] = "d-uid", ["controller"] = true, ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web", [PodTemplateHash.Label] = hash } },
                ["template"] = template,
            },
            ["status"] = new JsonObject
            {
                ["replicas"] = have,
                ["readyReplicas"] = ready,
                ["availableReplicas"] = ready,
                ["fullyLabeledReplicas"] = have,
                ["observedGeneration"] = 1,
            },
        }.ToJsonString())!.AsObject();
    }

    public static JsonObject Pod(
        string name,
        string ownerUid = "rs-uid",
        string phase = "Running",
        bool ready = true,
        DateTimeOffset? readySince = null,
        string? nodeName = "node-1",
        int createdMinutesAgo = 10,
        int restarts = 0,
        int? deletionCost = null,
        bool terminating = false)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "default",
            ["uid"] = "pod-" + name,
            ["creationTimestamp"] = Time(Now.AddMinutes(-createdMinutesAgo)),
            ["labels"] = new JsonObject { ["app"] = "web", [PodTemplateHash.Label] = "abc" },
            ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = "web-abc", ["uid"] = ownerUid, ["controller"] = true }),
        };
        if (deletionCost is { } cost)
        {
            metadata["annotations"] = new JsonObject { [ReplicaSetPlanning.PodDeletionCostAnnotation] = cost.ToString(CultureInfo.InvariantCulture) };
        }

        if (terminating)
        {
            metadata["deletionTimestamp"] = Time(Now);
        }

        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "nginx" }) };
        if (nodeName is not null)
        {
            spec["nodeName"] = nodeName;
        }

        return JsonNode.Parse(new JsonObject
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
                    ["status"] = ready ? "True" : "False",
                    ["lastTransitionTime"] = Time(readySince ?? Now.AddMinutes(-createdMinutesAgo + 1)),
                }),
                ["containerStatuses"] = new JsonArray(new JsonObject { ["name"] = "web", ["restartCount"] = restarts }),
            },
        }.ToJsonString())!.AsObject();
    }

    public static int SpecReplicas(JsonObject rs) => rs["spec"]!["replicas"]!.GetValue<int>();

    public static string? Annotation(JsonObject obj, string key) => obj["metadata"]?["annotations"]?[key]?.GetValue<string>();

    public static JsonObject? Condition(JsonObject status, string type) =>
        (status["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);

    public static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();

    private static JsonNode Surge(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? JsonValue.Create(count) : JsonValue.Create(value);
}
