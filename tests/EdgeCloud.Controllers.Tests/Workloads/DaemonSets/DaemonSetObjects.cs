using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeCloud.Controllers.Tests.Workloads.DaemonSets;

/// <summary>Daemon sets, nodes and pods as the API stores them, for the planning tests.</summary>
internal static class DaemonSetObjects
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonObject DaemonSet(string image = "fluent/fluent-bit:3.0", string? nodeSelector = null, JsonObject? strategy = null, int minReadySeconds = 0, long generation = 1)
    {
        var podSpec = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "agent", ["image"] = image }),
            ["restartPolicy"] = "Always",
        };
        if (nodeSelector is not null)
        {
            var parts = nodeSelector.Split('=');
            podSpec["nodeSelector"] = new JsonObject { [parts[0]] = parts[1] };
        }

        var spec = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "logs" } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "logs" } },
                ["spec"] = podSpec,
            },
            ["updateStrategy"] = strategy ?? Rolling(maxUnavailable: 1, maxSurge: 0),
            ["revisionHistoryLimit"] = 10,
        };
        if (minReadySeconds > 0)
        {
            spec["minReadySeconds"] = minReadySeconds;
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "DaemonSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = "logs",
                ["namespace"] = "kube-system",
                ["uid"] = "ds-uid-1",
                ["generation"] = generation,
                ["creationTimestamp"] = Time(Now.AddHours(-1)),
            },
            ["spec"] = spec,
        };
    }

    public static JsonObject Rolling(JsonNode? maxUnavailable, JsonNode? maxSurge)
    {
        var rollingUpdate = new JsonObject();
        if (maxUnavailable is not null)
        {
            rollingUpdate["maxUnavailable"] = maxUnavailable;
        }

        if (maxSurge is not null)
        {
            rollingUpdate["maxSurge"] = maxSurge;
        }

        return new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = rollingUpdate };
    }

    public static JsonObject Node(string name, string? label = null, params (string Key, string Effect)[] taints)
    {
        var labels = new JsonObject { ["kubernetes.io/hostname"] = name };
        if (label is not null)
        {
            var parts = label.Split('=');
            labels[parts[0]] = parts[1];
        }

        var node = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels },
            ["spec"] = new JsonObject(),
        };
        if (taints.Length > 0)
        {
            node["spec"]!["taints"] = new JsonArray(taints.Select(t => (JsonNode)new JsonObject { ["key"] = t.Key, ["effect"] = t.Effect }).ToArray());
        }

        return node;
    }

    private static int _podCount;

    /// <summary>A daemon pod bound to <paramref name="node"/>, made from the template with <paramref name="hash"/>.</summary>
    public static JsonObject Pod(
        string node,
        string hash,
        string phase = "Running",
        bool ready = true,
        DateTimeOffset? readySince = null,
        DateTimeOffset? created = null,
        bool bound = true,
        bool terminating = false,
        string? name = null)
    {
        var n = Interlocked.Increment(ref _podCount);
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name ?? $"logs-{n:D5}",
                ["namespace"] = "kube-system",
                ["uid"] = $"pod-uid-{n}",
                ["creationTimestamp"] = Time(created ?? Now.AddMinutes(-30)),
                ["labels"] = new JsonObject { ["app"] = "logs", ["controller-revision-hash"] = hash },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = "DaemonSet", ["name"] = "logs", ["uid"] = "ds-uid-1", ["controller"] = true,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "agent", ["image"] = "x" }),
                ["affinity"] = new JsonObject
                {
                    ["nodeAffinity"] = new JsonObject
                    {
                        ["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonObject
                        {
                            ["nodeSelectorTerms"] = new JsonArray(new JsonObject
                            {
                                ["matchFields"] = new JsonArray(new JsonObject { ["key"] = "metadata.name", ["operator"] = "In", ["values"] = new JsonArray(node) }),
                            }),
                        },
                    },
                },
            },
            ["status"] = new JsonObject
            {
                ["phase"] = phase,
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = ready ? "True" : "False",
                    ["lastTransitionTime"] = Time(readySince ?? Now.AddMinutes(-20)),
                }),
            },
        };
        if (bound)
        {
            pod["spec"]!["nodeName"] = node;
        }

        if (terminating)
        {
            pod["metadata"]!["deletionTimestamp"] = Time(Now.AddSeconds(-5));
        }

        return pod;
    }

    public static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();

    public static string[] Names(IEnumerable<JsonObject> objects) => objects.Select(Name).Order(StringComparer.Ordinal).ToArray();

    public static int Int(JsonObject status, string field) => status[field]!.GetValue<int>();
}
