namespace EdgeCloud.Controllers;

/// <summary>Settings of the controllers, shared by every cluster a process runs.</summary>
public sealed class ControllerOptions
{
    /// <summary>
    /// How long a node may go without renewing its Lease before it is marked Ready=Unknown and tainted
    /// node.kubernetes.io/unreachable:NoSchedule. Defaults to 40 s (kube-controller-manager's node-monitor-grace-period).
    /// </summary>
    public TimeSpan NodeMonitorGracePeriod { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>
    /// Whether pods of an unreachable node are evicted (the node also gets the unreachable:NoExecute taint, and
    /// pods without a matching toleration are deleted after their tolerationSeconds). Defaults to false: an edge
    /// node that lost its link keeps running its pods, and they stay bound to it.
    /// </summary>
    public bool EvictPodsFromUnreachableNodes { get; init; }

    /// <summary>
    /// How long a terminating pod waits for its node before the server removes it: its node is gone, or not Ready
    /// for this long past the pod's grace period. Defaults to 60 s.
    /// </summary>
    public TimeSpan OrphanedPodDeletionGrace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a replica renews its liveness record. Defaults to 5 s.</summary>
    public TimeSpan ReplicaRenewInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a replica's liveness record outlives its last renewal; then its clusters are taken over. Defaults to 15 s.</summary>
    public TimeSpan ReplicaLeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Pod bindings the scheduler keeps in flight per cluster. Defaults to 64.</summary>
    public int MaxBindingsInFlight { get; init; } = 64;

    /// <summary>Throws with a message that says how to fix a setting.</summary>
    public void Validate()
    {
        if (NodeMonitorGracePeriod <= TimeSpan.Zero)
        {
            throw new ArgumentException($"the node monitor grace period (--node-monitor-grace-period) must be a positive number of seconds (got {NodeMonitorGracePeriod.TotalSeconds:0.###}); the default is 40.");
        }

        if (ReplicaRenewInterval <= TimeSpan.Zero || ReplicaLeaseDuration <= ReplicaRenewInterval * 2)
        {
            throw new ArgumentException($"ReplicaLeaseDuration ({ReplicaLeaseDuration}) must exceed twice ReplicaRenewInterval ({ReplicaRenewInterval}), so that one late renewal does not lose leadership.");
        }

        if (MaxBindingsInFlight < 1)
        {
            throw new ArgumentException($"MaxBindingsInFlight must be at least 1 (got {MaxBindingsInFlight}).");
        }
    }
}
