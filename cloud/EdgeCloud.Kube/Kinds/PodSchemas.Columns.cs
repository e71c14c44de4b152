using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Kinds;

public static partial class PodSchemas
{
    // The columns and cells follow printPod in k8s.io/kubernetes/pkg/printers/internalversion/printers.go, which
    // kube-apiserver uses to answer Table requests; column names are as the server sends them (kubectl upper-cases).
    private static PrinterColumn[] PodColumns() =>
    [
        new()
        {
            Name = "Ready",
            Description = "Ready containers out of all containers, sidecar init containers included.",
            Cell = static (pod, _) => JsonValue.Create(Summarize(pod, DateTimeOffset.MinValue).Ready),
        },
        new()
        {
            Name = "Status",
            Description = "The pod's state as a person reads it: phase, or the reason of the container holding it up.",
            Cell = static (pod, _) => JsonValue.Create(Summarize(pod, DateTimeOffset.MinValue).Status),
        },
        new()
        {
            Name = "Restarts",
            Description = "Container restarts, with how long ago the last one was.",
            Cell = static (pod, now) => JsonValue.Create(Summarize(pod, now).Restarts),
        },
        new()
        {
            Name = "Age",
            Description = "Time since the pod was created.",
            Cell = static (pod, now) => JsonValue.Create(KubeDuration.Age(Text(Child(pod, "metadata"), "creationTimestamp"), now)),
        },
        new()
        {
            Name = "IP",
            Priority = 1,
            Description = "Primary IP address of the pod.",
            Cell = static (pod, _) => NoneIfEmpty(Text(Items(Child(pod, "status"), "podIPs").FirstOrDefault(), "ip")),
        },
        new()
        {
            Name = "Node",
            Priority = 1,
            Description = "Node the pod is bound to.",
            Cell = static (pod, _) => NoneIfEmpty(Text(Child(pod, "spec"), "nodeName")),
        },
        new()
        {
            Name = "Nominated Node",
            Priority = 1,
            Description = "Node the pod is expected to run on once preemption completes.",
            Cell = static (pod, _) => NoneIfEmpty(Text(Child(pod, "status"), "nominatedNodeName")),
        },
        new()
        {
            Name = "Readiness Gates",
            Priority = 1,
            Description = "Readiness gates whose condition is True, out of all readiness gates.",
            Cell = static (pod, _) => ReadinessGates(pod),
        },
    ];

    /// <summary>The READY, STATUS and RESTARTS cells of one pod, computed together as kubectl's printPod does.</summary>
    internal static (string Ready, string Status, string Restarts) Summarize(JsonObject pod, DateTimeOffset now)
    {
        var spec = Child(pod, "spec");
        var status = Child(pod, "status");
        var phase = Text(status, "phase") ?? "";
        var reason = string.IsNullOrEmpty(Text(status, "reason")) ? phase : Text(status, "reason")!;
        foreach (var condition in Items(status, "conditions"))
        {
            if (Text(condition, "type") == "PodScheduled" && Text(condition, "reason") == "SchedulingGated")
            {
                reason = "SchedulingGated";
            }
        }

        var initContainers = Items(spec, "initContainers").ToList();
        var sidecarNames = initContainers
            .Where(c => Text(c, "restartPolicy") == "Always")
            .Select(c => Text(c, "name") ?? "")
            .ToHashSet(StringComparer.Ordinal);
        int total = Items(spec, "containers").Count() + sidecarNames.Count;
        int ready = 0;
        int restarts = 0;
        int sidecarRestarts = 0;
        DateTimeOffset? lastRestart = null;
        DateTimeOffset? lastSidecarRestart = null;

        bool initializing = false;
        int index = 0;
        foreach (var container in Items(status, "initContainerStatuses"))
        {
            int count = Integer(container, "restartCount");
            var finished = LastFinished(container);
            bool sidecar = sidecarNames.Contains(Text(container, "name") ?? "");
            restarts += count;
            lastRestart = Later(lastRestart, finished);
            if (sidecar)
            {
                sidecarRestarts += count;
                lastSidecarRestart = Later(lastSidecarRestart, finished);
            }

            var state = Child(container, "state");
            var terminated = Child(state, "terminated");
            var waiting = Child(state, "waiting");
            if (terminated is not null && Integer(terminated, "exitCode") == 0)
            {
                index++;
                continue;
            }

            if (sidecar && Flag(container, "started"))
            {
                if (Flag(container, "ready"))
                {
                    ready++;
                }

                index++;
                continue;
            }

            if (terminated is not null)
            {
                // An init container that failed holds the pod in initialization.
                reason = "Init:" + ExitReason(terminated);
            }
            else if (!string.IsNullOrEmpty(Text(waiting, "reason")) && Text(waiting, "reason") != "PodInitializing")
            {
                reason = "Init:" + Text(waiting, "reason");
            }
            else
            {
                reason = $"Init:{index}/{initContainers.Count}";
            }

            initializing = true;
            break;
        }

        if (!initializing || HasTrueCondition(status, "Initialized"))
        {
            // Once initialized, finished init containers no longer count: only sidecars and app containers do.
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            bool hasRunning = false;
            foreach (var container in Items(status, "containerStatuses").Reverse())
            {
                restarts += Integer(container, "restartCount");
                lastRestart = Later(lastRestart, LastFinished(container));
                var state = Child(container, "state");
                var terminated = Child(state, "terminated");
                var waitingReason = Text(Child(state, "waiting"), "reason");
                if (!string.IsNullOrEmpty(waitingReason))
                {
                    reason = waitingReason;
                }
                else if (terminated is not null)
                {
                    reason = ExitReason(terminated);
                }
                else if (Flag(container, "ready") && Child(state, "running") is not null)
                {
                    hasRunning = true;
                    ready++;
                }
            }

            // A pod whose some containers completed while others still run is not "Completed".
            if (reason == "Completed" && hasRunning)
            {
                reason = HasTrueCondition(status, "Ready") ? "Running" : "NotReady";
            }
        }

        bool deleting = Child(pod, "metadata")?["deletionTimestamp"] is not null;
        if (deleting && Text(status, "reason") == "NodeLost")
        {
            reason = "Unknown";
        }
        else if (deleting && phase != "Succeeded" && phase != "Failed")
        {
            reason = "Terminating";
        }

        var restartText = restarts != 0 && lastRestart is { } last
            ? $"{restarts} ({KubeDuration.Human(now - last)} ago)"
            : restarts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ($"{ready}/{total}", reason, restartText);
    }

    private static JsonNode ReadinessGates(JsonObject pod)
    {
        var gates = Items(Child(pod, "spec"), "readinessGates").ToList();
        if (gates.Count == 0)
        {
            return JsonValue.Create("<none>");
        }

        var conditions = Items(Child(pod, "status"), "conditions").ToList();
        int satisfied = gates.Count(gate =>
            conditions.FirstOrDefault(c => Text(c, "type") == Text(gate, "conditionType")) is { } condition
            && Text(condition, "status") == "True");
        return JsonValue.Create($"{satisfied}/{gates.Count}");
    }

    private static string ExitReason(JsonObject terminated)
    {
        var text = Text(terminated, "reason");
        if (!string.IsNullOrEmpty(text))
        {
            return text;
        }

        int signal = Integer(terminated, "signal");
        return signal != 0 ? $"Signal:{signal}" : $"ExitCode:{Integer(terminated, "exitCode")}";
    }

    private static DateTimeOffset? LastFinished(JsonObject container) =>
        KubeDuration.TryParseTimestamp(Text(Child(Child(container, "lastState"), "terminated"), "finishedAt"), out var time) ? time : null;

    private static DateTimeOffset? Later(DateTimeOffset? current, DateTimeOffset? candidate) =>
        candidate is { } c && (current is null || c > current) ? c : current;

    private static bool HasTrueCondition(JsonObject? status, string type) =>
        Items(status, "conditions").Any(c => Text(c, "type") == type && Text(c, "status") == "True");

    private static JsonNode? NoneIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : JsonValue.Create(text);

    private static JsonObject? Child(JsonObject? node, string name) => node?[name] as JsonObject;

    private static IEnumerable<JsonObject> Items(JsonObject? node, string name) =>
        node?[name] is JsonArray array ? array.OfType<JsonObject>() : [];

    private static string? Text(JsonObject? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static int Integer(JsonObject? node, string name) =>
        node?[name] is JsonValue value
            ? value.TryGetValue<int>(out var number) ? number : value.TryGetValue<long>(out var wide) ? (int)wide : 0
            : 0;

    private static bool Flag(JsonObject? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;
}
