using System.Text.Json.Nodes;
using EdgeCloud.Agent.Node;
using EdgeCloud.Agent.Runtime;

namespace EdgeCloud.Agent.Pods;

/// <summary>The pod status the worker reports: phase, conditions and containerStatuses as kubelet computes them.</summary>
internal sealed partial class PodWorker
{
    private void Report() => _context.Statuses.Report(_plan.Uid, _plan.Namespace, _plan.Name, BuildStatus());

    private JsonObject BuildStatus()
    {
        var inits = _slots.Values.Where(static s => s.Init).ToList();
        var mains = _slots.Values.Where(static s => !s.Init).ToList();
        var initialized = inits.All(static s => s.Exited && s.State!.ExitCode == 0);
        var phase = Phase(inits, mains, initialized);
        var ready = initialized && mains.All(static s => s.Running && s.Ready) && phase == "Running";
        var started = _startTime ?? _context.Time.GetUtcNow();
        var at = NodeRegistration.ToTimestamp(started);
        var status = new JsonObject
        {
            ["phase"] = phase,
            ["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", "True", at),
                Condition("Initialized", initialized ? "True" : "False", at),
                Condition("Ready", ready ? "True" : "False", at),
                Condition("ContainersReady", ready ? "True" : "False", at),
                Condition("PodScheduled", "True", at)),
            ["hostIP"] = _context.HostIp,
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = _context.HostIp }),
            ["podIP"] = _context.HostIp,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = _context.HostIp }),
            ["startTime"] = at,
            ["containerStatuses"] = new JsonArray([.. mains.Select(ContainerStatus)]),
        };
        if (inits.Count > 0)
        {
            status["initContainerStatuses"] = new JsonArray([.. inits.Select(ContainerStatus)]);
        }

        if (!ready && phase == "Running")
        {
            var notReady = mains.Where(static s => !(s.Running && s.Ready)).Select(static s => s.Plan.Name).ToList();
            var message = $"containers with unready status: [{string.Join(" ", notReady)}]";
            foreach (var condition in ((JsonArray)status["conditions"]!).OfType<JsonObject>().Where(static c => c["type"]!.GetValue<string>() is "Ready" or "ContainersReady"))
            {
                condition["reason"] = "ContainersNotReady";
                condition["message"] = message;
            }
        }

        return status;
    }

    private string Phase(List<ContainerSlot> inits, List<ContainerSlot> mains, bool initialized)
    {
        if (!initialized)
        {
            var failedInit = inits.Any(s => s.Exited && s.State!.ExitCode != 0 && !ShouldRestart(s));
            return failedInit ? "Failed" : "Pending";
        }

        if (mains.Any(static s => s.Running))
        {
            return "Running";
        }

        if (mains.Any(static s => s.State is null))
        {
            return "Pending";
        }

        var restarting = mains.Any(ShouldRestart);
        if (restarting)
        {
            return "Running";
        }

        return mains.All(static s => s.State!.ExitCode == 0) ? "Succeeded" : "Failed";
    }

    private JsonNode ContainerStatus(ContainerSlot slot)
    {
        var status = new JsonObject
        {
            ["name"] = slot.Plan.Name,
            ["image"] = slot.Plan.Image,
            ["imageID"] = slot.State?.ImageId ?? "",
            ["ready"] = slot.Running && slot.Ready,
            ["started"] = slot.Running,
            ["restartCount"] = Math.Max(0, slot.Attempt),
            ["state"] = State(slot),
            ["lastState"] = slot.LastTerminated is { } last ? new JsonObject { ["terminated"] = Terminated(last) } : new JsonObject(),
        };
        if (slot.Id is not null)
        {
            status["containerID"] = $"{_context.Runtime.Name}://{slot.Id}";
        }

        return status;
    }

    private static JsonObject State(ContainerSlot slot)
    {
        if (slot.WaitingReason is { } reason && !slot.Running)
        {
            return new JsonObject { ["waiting"] = new JsonObject { ["reason"] = reason, ["message"] = slot.WaitingMessage } };
        }

        return slot.State switch
        {
            null => new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } },
            { Running: true } running => new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Time(running.StartedAt) } },
            var exited => new JsonObject { ["terminated"] = Terminated(exited) },
        };
    }

    private static JsonObject Terminated(ContainerState state)
    {
        var terminated = new JsonObject
        {
            ["exitCode"] = state.ExitCode ?? 0,
            ["reason"] = state.Reason ?? (state.ExitCode == 0 ? "Completed" : "Error"),
            ["startedAt"] = Time(state.StartedAt),
            ["finishedAt"] = Time(state.FinishedAt),
            ["containerID"] = state.Id,
        };
        if (state.Message is { } message)
        {
            terminated["message"] = message;
        }

        return terminated;
    }

    private static JsonNode? Time(DateTimeOffset? at) => at is { } value ? NodeRegistration.ToTimestamp(value) : null;

    private static JsonObject Condition(string type, string status, string at) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastProbeTime"] = null,
        ["lastTransitionTime"] = at,
    };
}
