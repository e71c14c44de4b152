namespace EdgeCloud.Tunnel;

/// <summary>
/// Exponential backoff with jitter: the n-th consecutive failure waits a random time between half and all of
/// min(max, initial × 2^n), so a fleet of agents cut off together does not reconnect in lockstep.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max, Random random)
{
    private int _failures;

    public TimeSpan Next()
    {
        var exponent = Math.Min(_failures, 30);
        _failures++;
        var ceiling = Math.Min(max.Ticks, initial.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)(ceiling / 2 + random.NextDouble() * ceiling / 2));
    }

    public void Reset() => _failures = 0;
}
