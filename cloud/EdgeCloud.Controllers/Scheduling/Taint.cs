namespace EdgeCloud.Controllers.Scheduling;

/// <summary>A node's taint (core/v1 Taint): pods that do not tolerate it are kept off (NoSchedule, NoExecute) or avoided (PreferNoSchedule).</summary>
/// <param name="Key">The taint key, e.g. <c>node.kubernetes.io/unreachable</c>.</param>
/// <param name="Value">The taint value; empty when none.</param>
/// <param name="Effect"><see cref="NoSchedule"/>, <see cref="PreferNoSchedule"/> or <see cref="NoExecute"/>.</param>
public sealed record Taint(string Key, string Value, string Effect)
{
    /// <summary>New pods that do not tolerate the taint are not scheduled onto the node.</summary>
    public const string NoSchedule = "NoSchedule";

    /// <summary>The scheduler avoids the node for pods that do not tolerate the taint, without refusing it.</summary>
    public const string PreferNoSchedule = "PreferNoSchedule";

    /// <summary>Like NoSchedule, and running pods that do not tolerate it are evicted.</summary>
    public const string NoExecute = "NoExecute";

    /// <summary>The taint the node lifecycle puts on a node whose Ready condition is False.</summary>
    public const string NotReadyKey = "node.kubernetes.io/not-ready";

    /// <summary>The taint the node lifecycle puts on a node whose Ready condition is Unknown (no heartbeat).</summary>
    public const string UnreachableKey = "node.kubernetes.io/unreachable";

    /// <summary>The taint that stands for spec.unschedulable (cordoned node).</summary>
    public const string UnschedulableKey = "node.kubernetes.io/unschedulable";

    // kube-scheduler's TaintToleration filter reason, built once per taint rather than once per failing node.
    internal string UntoleratedReason { get; } = $"node(s) had untolerated taint {{{Key}: {Value}}}";
}
