using System.Globalization;

namespace EdgeCloud.Kube.Kinds;

/// <summary>
/// Durations and ages as <c>kubectl get</c> prints them, e.g. "45s", "5m30s", "2d3h", "2y10d".
/// Matches HumanDuration in k8s.io/apimachinery/pkg/util/duration, which the server's table printers use for AGE.
/// </summary>
public static class KubeDuration
{
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;
    private const long TicksPerMinute = TimeSpan.TicksPerMinute;
    private const long TicksPerHour = TimeSpan.TicksPerHour;

    /// <summary>
    /// The short human form of <paramref name="duration"/>: precise when small, coarser as it grows (seconds up
    /// to 2 minutes, minutes and seconds up to 10 minutes, minutes up to 3 hours, hours and minutes up to 8 hours,
    /// hours up to 2 days, days and hours up to 8 days, days up to 2 years, years and days up to 8 years, then
    /// years). A duration down to one second below zero prints "0s" (clock skew); earlier ones "&lt;invalid&gt;".
    /// </summary>
    public static string Human(TimeSpan duration)
    {
        // Units are truncated toward zero, as Go's integer conversions of time.Duration are.
        long ticks = duration.Ticks;
        long seconds = ticks / TicksPerSecond;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 2 * 60)
        {
            return Invariant($"{seconds}s");
        }

        long minutes = ticks / TicksPerMinute;
        if (minutes < 10)
        {
            long s = seconds % 60;
            return s == 0 ? Invariant($"{minutes}m") : Invariant($"{minutes}m{s}s");
        }

        if (minutes < 3 * 60)
        {
            return Invariant($"{minutes}m");
        }

        long hours = ticks / TicksPerHour;
        if (hours < 8)
        {
            long m = minutes % 60;
            return m == 0 ? Invariant($"{hours}h") : Invariant($"{hours}h{m}m");
        }

        if (hours < 48)
        {
            return Invariant($"{hours}h");
        }

        long days = hours / 24;
        if (hours < 24 * 8)
        {
            long h = hours % 24;
            return h == 0 ? Invariant($"{days}d") : Invariant($"{days}d{h}h");
        }

        if (hours < 24 * 365 * 2)
        {
            return Invariant($"{days}d");
        }

        // Years are 365 days: the printer ignores leap days.
        long years = days / 365;
        if (hours < 24 * 365 * 8)
        {
            long d = days % 365;
            return d == 0 ? Invariant($"{years}y") : Invariant($"{years}y{d}d");
        }

        return Invariant($"{years}y");
    }

    /// <summary>
    /// The age of an object or event from its RFC 3339 <paramref name="timestamp"/> (e.g. metadata.creationTimestamp)
    /// at <paramref name="now"/>, or "&lt;unknown&gt;" when the timestamp is missing or unreadable, as kubectl's
    /// translateTimestampSince prints a zero time.
    /// </summary>
    public static string Age(string? timestamp, DateTimeOffset now) =>
        TryParseTimestamp(timestamp, out var time) ? Human(now - time) : "<unknown>";

    /// <summary>Reads an RFC 3339 timestamp as Kubernetes writes it (metav1.Time), assuming UTC when no offset is given.</summary>
    public static bool TryParseTimestamp(string? timestamp, out DateTimeOffset time)
    {
        time = default;
        return !string.IsNullOrEmpty(timestamp)
            && DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
