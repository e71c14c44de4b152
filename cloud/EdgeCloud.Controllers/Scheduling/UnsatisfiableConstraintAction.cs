namespace EdgeCloud.Controllers.Scheduling;

/// <summary>What a topology spread constraint does when it cannot be met (core/v1 UnsatisfiableConstraintAction).</summary>
public enum UnsatisfiableConstraintAction
{
    /// <summary>A node that would break the constraint is filtered out.</summary>
    DoNotSchedule,

    /// <summary>The constraint only scores: nodes that spread better are preferred.</summary>
    ScheduleAnyway,
}
