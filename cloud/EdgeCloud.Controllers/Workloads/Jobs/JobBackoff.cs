namespace EdgeCloud.Controllers.Workloads.Jobs;

/// <summary>
/// The pod failure back-off of a Job (upstream DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff): after n
/// failures since the last success, a replacement waits 10 s × 2^(n−1), at most 6 minutes, from the last failure.
/// </summary>
public static class JobBackoff
{
    /// <summary>The wait after the first failure: 10 seconds.</summary>
    public static TimeSpan Initial { get; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait: 6 minutes.</summary>
    public static TimeSpan Maximum { get; } = TimeSpan.FromMinutes(6);

    /// <summary>The wait after <paramref name="failuresSinceLastSuccess"/> failures; zero for none.</summary>
    public static TimeSpan Delay(int failuresSinceLastSuccess)
    {
        if (failuresSinceLastSuccess <= 0)
        {
            return TimeSpan.Zero;
        }

        var delay = Initial;
        for (var i = 1; i < failuresSinceLastSuccess && delay < Maximum; i++)
        {
            delay *= 2;
        }

        return delay < Maximum ? delay : Maximum;
    }
}
