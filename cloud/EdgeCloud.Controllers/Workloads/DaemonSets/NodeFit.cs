namespace EdgeCloud.Controllers.Workloads.DaemonSets;

/// <summary>
/// Whether a daemon set's pod belongs on a node (upstream NodeShouldRunDaemonPod): <see cref="ShouldRun"/> when a
/// new pod may be placed there (node name, nodeSelector, required node affinity, NoSchedule and NoExecute taints
/// all allow it); <see cref="ShouldContinueRunning"/> when a pod already there may stay (only an untolerated
/// NoExecute taint, or a selector that no longer matches, evicts it).
/// </summary>
/// <param name="ShouldRun">A pod should be created on the node when it has none.</param>
/// <param name="ShouldContinueRunning">A pod already on the node may keep running.</param>
public readonly record struct NodeFit(bool ShouldRun, bool ShouldContinueRunning)
{
    /// <summary>The node takes the pod and keeps it.</summary>
    public static NodeFit Fits { get; } = new(true, true);

    /// <summary>The node neither takes nor keeps the pod.</summary>
    public static NodeFit DoesNotFit { get; } = new(false, false);
}
