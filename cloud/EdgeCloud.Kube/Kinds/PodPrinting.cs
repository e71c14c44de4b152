using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Kinds;

/// <summary>The cells of <c>kubectl get pods</c>, following kubectl's printPod.</summary>
public static class PodPrinting
{
    /// <summary>READY: ready containers / containers.</summary>
    public static string Ready(JsonObject pod)
    {
        var total = (pod["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        var ready = Statuses(pod, "containerStatuses").Count(static s => s["ready"]?.GetValue<bool>() == true);
        return $"{ready}/{total}";
    }

    /// <summary>STATUS: the phase, or the reason a container is waiting or terminated, or Terminating.</summary>
    public static string Status(JsonObject pod)
    {
        var reason = Columns.Read(pod, "status", "reason") is { Length: > 0 } r ? r : Columns.Read(pod, "status", "phase") ?? "Pending";
        var initStatuses = Statuses(pod, "initContainerStatuses").ToList();
        var initCount = (pod["spec"]?["initContainers"] as JsonArray)?.Count ?? 0;
        var initializing = false;
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var state = initStatuses[i]["state"] as JsonObject;
            if (state?["terminated"] is JsonObject terminated && Columns.Int(terminated, "exitCode") == 0)
            {
                continue;
            }

            initializing = true;
            reason = state switch
            {
                { } s when s["terminated"] is JsonObject t => Columns.Read(t, "reason") is { Length: > 0 } tr ? $"Init:{tr}" : $"Init:ExitCode:{Columns.Int(t, "exitCode")}",
                { } s when s["waiting"] is JsonObject w && Columns.Read(w, "reason") is { Length: > 0 } wr && wr != "PodInitializing" => $"Init:{wr}",
                _ => $"Init:{i}/{initCount}",
            };
            break;
        }

        if (!initializing)
        {
            var hasRunning = false;
            foreach (var status in Statuses(pod, "containerStatuses").Reverse())
            {
                var state = status["state"] as JsonObject;
                if (state?["waiting"] is JsonObject waiting && Columns.Read(waiting, "reason") is { Length: > 0 } wr)
                {
                    reason = wr;
                }
                else if (state?["terminated"] is JsonObject terminated)
                {
                    reason = Columns.Read(terminated, "reason") is { Length: > 0 } tr ? tr
                        : Columns.Read(terminated, "signal") is { Length: > 0 } sig && sig != "0" ? $"Signal:{sig}"
                        : $"ExitCode:{Columns.Int(terminated, "exitCode")}";
                }
                else if (state?["running"] is not null && status["ready"]?.GetValue<bool>() == true)
                {
                    hasRunning = true;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                reason = "Running";
            }
        }

        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            reason = Columns.Read(pod, "status", "reason") == "NodeLost" ? "Unknown" : "Terminating";
        }

        return reason;
    }

    /// <summary>RESTARTS: total restarts, with how long ago the last one was ("3 (5m ago)").</summary>
    public static string Restarts(JsonObject pod, DateTimeOffset now)
    {
        long restarts = 0;
        DateTimeOffset? last = null;
        foreach (var status in Statuses(pod, "containerStatuses"))
        {
            restarts += Columns.Int(status, "restartCount");
            if (Columns.Read(status, "lastState", "terminated") is not null
                && DateTimeOffset.TryParse(Columns.Read((JsonObject)status["lastState"]!["terminated"]!, "finishedAt"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var finished)
                && (last is null || finished > last))
            {
                last = finished;
            }
        }

        return last is { } at && restarts > 0 ? $"{restarts} ({KubeDuration.Human(now - at)} ago)" : restarts.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>READINESS GATES: gates whose condition is True / gates, or &lt;none&gt;.</summary>
    public static string ReadinessGates(JsonObject pod)
    {
        var gates = (pod["spec"]?["readinessGates"] as JsonArray)?.OfType<JsonObject>().Select(static g => Columns.Read(g, "conditionType")).ToList() ?? [];
        if (gates.Count == 0)
        {
            return "<none>";
        }

        var conditions = (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>() ?? [];
        var met = gates.Count(g => conditions.Any(c => Columns.Read(c, "type") == g && Columns.Read(c, "status") == "True"));
        return $"{met}/{gates.Count}";
    }

    private static IEnumerable<JsonObject> Statuses(JsonObject pod, string field) =>
        (pod["status"]?[field] as JsonArray)?.OfType<JsonObject>() ?? [];
}
