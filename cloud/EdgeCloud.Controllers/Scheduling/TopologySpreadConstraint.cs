using EdgeCloud.Kube.Selectors;

namespace EdgeCloud.Controllers.Scheduling;

/// <summary>A pod's topology spread constraint (core/v1 TopologySpreadConstraint).</summary>
public sealed record TopologySpreadConstraint
{
    /// <summary>How much the number of matching pods may differ between two domains.</summary>
    public required int MaxSkew { get; init; }

    /// <summary>The node label whose values are the domains, e.g. <c>topology.kubernetes.io/zone</c>.</summary>
    public required string TopologyKey { get; init; }

    /// <summary>Filter (DoNotSchedule) or only score (ScheduleAnyway).</summary>
    public required UnsatisfiableConstraintAction WhenUnsatisfiable { get; init; }

    /// <summary>The pods counted, in the pod's namespace; <see cref="LabelSelector.Nothing"/> when the constraint has no selector.</summary>
    public required LabelSelector Selector { get; init; }

    /// <summary>With DoNotSchedule: when fewer domains than this exist, the global minimum is taken as 0. Null when not set.</summary>
    public int? MinDomains { get; init; }
}
