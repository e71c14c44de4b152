namespace EdgeCloud.Controllers.Workloads.DaemonSets;

/// <summary>
/// The back-off between replacing failed daemon pods on one node (upstream failedPodsBackoff): a node that keeps
/// rejecting the pod would otherwise see it deleted and recreated as fast as the API allows. Starts at 1 second,
/// doubles to at most 15 minutes, and forgets a node that stayed quiet for twice the maximum. Not thread-safe: one
/// daemon set controller owns one instance. Times are given by the caller.
/// </summary>
public sealed class FailedPodBackoff
{
    private readonly Dictionary<string, (TimeSpan Delay, DateTimeOffset Updated)> _entries = new(StringComparer.Ordinal);

    /// <summary>The first delay. Defaults to 1 second.</summary>
    public TimeSpan Initial { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay. Defaults to 15 minutes.</summary>
    public TimeSpan Maximum { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The key for <paramref name="nodeName"/> under the daemon set with <paramref name="daemonSetUid"/>.</summary>
    public static string Key(string daemonSetUid, string nodeName) => daemonSetUid + "/" + nodeName;

    /// <summary>The time left before another failed pod under <paramref name="key"/> may be replaced; zero when it may now.</summary>
    public TimeSpan Remaining(string key, DateTimeOffset now) =>
        _entries.TryGetValue(key, out var entry) && now - entry.Updated < entry.Delay ? entry.Delay - (now - entry.Updated) : TimeSpan.Zero;

    /// <summary>Records a replacement under <paramref name="key"/> at <paramref name="now"/>, lengthening the next wait.</summary>
    public void Next(string key, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out var entry) || now - entry.Updated > 2 * Maximum)
        {
            _entries[key] = (Initial, now);
            return;
        }

        var doubled = entry.Delay * 2;
        _entries[key] = (doubled > Maximum ? Maximum : doubled, now);
    }

    /// <summary>Drops entries not updated for twice the maximum delay before <paramref name="now"/>.</summary>
    public void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries.ToList())
        {
            if (now - entry.Updated > 2 * Maximum)
            {
                _entries.Remove(key);
            }
        }
    }
}
