using System.Text.Json.Nodes;
using EdgeCloud.LoadTests.Api;

namespace EdgeCloud.LoadTests.Agents;

/// <summary>N bare pods created for one agent's node: the creates, and per pod create-to-bound, bound-to-Running and create-to-Running.</summary>
internal sealed record StartLatencyResult
{
    public required int Pods { get; init; }

    public required OperationResult Create { get; init; }

    /// <summary>Pods seen Running with all containers ready before the deadline.</summary>
    public required int Running { get; init; }

    /// <summary>Client create start to the watch seeing spec.nodeName: the API and the scheduler.</summary>
    public required LatencySummary? CreateToBound { get; init; }

    /// <summary>Bound to Running and ready: the agent's share (its watch, the process start, its status write).</summary>
    public required LatencySummary? BoundToRunning { get; init; }

    /// <summary>Client create start to the watch seeing the pod Running and ready.</summary>
    public required LatencySummary? CreateToRunning { get; init; }

    /// <summary>First create start to the last pod Running, in seconds.</summary>
    public required double AllRunningSeconds { get; init; }

    public JsonObject ToJson() => new()
    {
        ["pods"] = Pods,
        ["running"] = Running,
        ["create"] = Create.ToJson(),
        ["createToBound"] = CreateToBound?.ToJson(),
        ["boundToRunning"] = BoundToRunning?.ToJson(),
        ["createToRunning"] = CreateToRunning?.ToJson(),
        ["allRunningSeconds"] = AllRunningSeconds,
    };
}
