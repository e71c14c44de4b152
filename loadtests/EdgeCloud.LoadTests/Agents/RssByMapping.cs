using System.Globalization;

namespace EdgeCloud.LoadTests.Agents;

/// <summary>
/// Where a process's resident memory is, from /proc/PID/smaps: RSS summed per mapped file (the runtime, the framework's
/// ready-to-run assemblies, native libraries), with anonymous memory (GC heap, stacks, JIT code) as one entry. Says
/// whether a lower RSS needs a smaller heap or fewer and smaller mapped images.
/// </summary>
internal static class RssByMapping
{
    public const string Anonymous = "[anonymous]";

    /// <summary>The <paramref name="count"/> largest entries, largest first; empty when smaps is unreadable.</summary>
    public static IReadOnlyList<KeyValuePair<string, long>> Largest(int pid, int count)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{pid}/smaps");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        var current = Anonymous;
        foreach (var line in lines)
        {
            if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                var value = line[4..].Trim();
                if (value.EndsWith(" kB", StringComparison.Ordinal) && long.TryParse(value.AsSpan(0, value.Length - 3).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
                {
                    totals[current] = totals.GetValueOrDefault(current) + (kb * 1024);
                }
            }
            else if (IsHeader(line))
            {
                // "start-end perms offset dev inode [path]": the path is the sixth field, absent for anonymous memory.
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                current = fields.Length == 6 && fields[5].StartsWith('/') ? fields[5].Trim() : Anonymous;
            }
        }

        return [.. totals.Where(static t => t.Value > 0).OrderByDescending(static t => t.Value).Take(count)];
    }

    private static bool IsHeader(string line)
    {
        var dash = line.IndexOf('-');
        return dash > 0 && line.AsSpan(0, dash).IndexOfAnyExcept("0123456789abcdef") < 0;
    }
}
