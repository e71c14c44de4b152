using System.Globalization;

namespace EdgeCloud.Kube.Kinds;

/// <summary>kubectl's short age format (apimachinery duration.HumanDuration): "45s", "5m30s", "3h20m", "2d3h", "400d", "2y10d".</summary>
public static class KubeDuration
{
    /// <summary>The age <paramref name="d"/> as kubectl prints it; negative or tiny ages print as "0s", unknown as "&lt;invalid&gt;" upstream.</summary>
    public static string Human(TimeSpan d)
    {
        static string N(double v) => ((long)v).ToString(CultureInfo.InvariantCulture);
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return $"{seconds}s";
        }

        var minutes = (long)d.TotalMinutes;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }

        if (minutes < 60 * 3)
        {
            return $"{minutes}m";
        }

        var hours = (long)d.TotalHours;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }

        if (hours < 48)
        {
            return $"{hours}h";
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{N(hours / 24)}d" : $"{N(hours / 24)}d{h}h";
        }

        if (hours < 24 * 365 * 2)
        {
            return $"{N(hours / 24)}d";
        }

        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? $"{N(hours / 24 / 365)}y" : $"{N(hours / 24 / 365)}y{dy}d";
        }

        return $"{N(hours / 24 / 365)}y";
    }
}
