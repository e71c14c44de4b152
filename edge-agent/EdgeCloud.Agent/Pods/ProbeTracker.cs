namespace EdgeCloud.Agent.Pods;

/// <summary>The schedule and streak of one probe of one container attempt, as kubelet's prober worker keeps them.</summary>
internal sealed class ProbeTracker(ProbePlan plan, DateTimeOffset startedAt)
{
    public ProbePlan Plan { get; } = plan;

    /// <summary>When the probe runs next.</summary>
    public DateTimeOffset NextDue { get; private set; } = startedAt + plan.InitialDelay;

    /// <summary>The current verdict: passing once successThreshold successes in a row, failing once failureThreshold failures.</summary>
    public bool? Passing { get; private set; }

    private int _successes;
    private int _failures;

    /// <summary>Records one result at <paramref name="now"/> and schedules the next run.</summary>
    public void Record(bool success, DateTimeOffset now)
    {
        NextDue = now + Plan.Period;
        if (success)
        {
            _failures = 0;
            if (++_successes >= Plan.SuccessThreshold)
            {
                Passing = true;
            }
        }
        else
        {
            _successes = 0;
            if (++_failures >= Plan.FailureThreshold)
            {
                Passing = false;
            }
        }
    }
}
