namespace EdgeCloud.Controllers.Scheduling;

/// <summary>The outcome of scheduling one pod: the chosen node, or why no node fits.</summary>
public sealed class SchedulingResult
{
    /// <summary>The PodScheduled=False condition reason for a pod no node fits.</summary>
    public const string UnschedulableReason = "Unschedulable";

    private static readonly IReadOnlyDictionary<string, int> NoReasons = new Dictionary<string, int>(StringComparer.Ordinal);

    private SchedulingResult(string? nodeName, string message, IReadOnlyDictionary<string, int> failureReasons, int evaluatedNodes, int feasibleNodes)
    {
        NodeName = nodeName;
        Message = message;
        FailureReasons = failureReasons;
        EvaluatedNodes = evaluatedNodes;
        FeasibleNodes = feasibleNodes;
    }

    /// <summary>True when a node was chosen.</summary>
    public bool Succeeded => NodeName is not null;

    /// <summary>The chosen node; null when the pod is unschedulable.</summary>
    public string? NodeName { get; }

    /// <summary>
    /// Empty on success; otherwise kube-scheduler's message for the PodScheduled condition and the
    /// FailedScheduling event, e.g. <c>0/3 nodes are available: 1 Insufficient cpu, 2 node(s) were unschedulable.</c>
    /// </summary>
    public string Message { get; }

    /// <summary>On failure, how many nodes failed for each reason (a node can give several, e.g. cpu and memory).</summary>
    public IReadOnlyDictionary<string, int> FailureReasons { get; }

    /// <summary>How many nodes the filters ran on before the search stopped.</summary>
    public int EvaluatedNodes { get; }

    /// <summary>How many of them fit.</summary>
    public int FeasibleNodes { get; }

    internal static SchedulingResult Success(string nodeName, int evaluatedNodes, int feasibleNodes) =>
        new(nodeName, "", NoReasons, evaluatedNodes, feasibleNodes);

    internal static SchedulingResult Failure(string message, IReadOnlyDictionary<string, int>? reasons, int evaluatedNodes) =>
        new(null, message, reasons ?? NoReasons, evaluatedNodes, 0);
}
