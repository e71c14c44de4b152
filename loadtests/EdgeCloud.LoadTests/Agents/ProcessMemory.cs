using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeCloud.LoadTests.Agents;

/// <summary>
/// One process's memory as the kernel accounts it, in bytes: VmRSS, RssAnon and RssFile from /proc/PID/status, and,
/// where /proc/PID/smaps_rollup is readable, PSS (shared pages divided among the processes mapping them) and the
/// private pages. RSS counts every shared library page in full; PSS and private are what one more agent would cost.
/// </summary>
internal sealed record ProcessMemory
{
    public required long RssBytes { get; init; }

    public required long RssAnonBytes { get; init; }

    public required long RssFileBytes { get; init; }

    public long? PssBytes { get; init; }

    public long? PrivateBytes { get; init; }

    /// <summary>Reads the memory of process <paramref name="pid"/>; null when it has exited.</summary>
    public static ProcessMemory? Read(int pid)
    {
        Dictionary<string, long> status;
        try
        {
            status = Fields(File.ReadAllLines($"/proc/{pid}/status"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        Dictionary<string, long>? rollup;
        try
        {
            rollup = Fields(File.ReadAllLines($"/proc/{pid}/smaps_rollup"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            rollup = null;
        }

        return new ProcessMemory
        {
            RssBytes = status.GetValueOrDefault("VmRSS"),
            RssAnonBytes = status.GetValueOrDefault("RssAnon"),
            RssFileBytes = status.GetValueOrDefault("RssFile"),
            PssBytes = rollup?.GetValueOrDefault("Pss"),
            PrivateBytes = rollup is null ? null : rollup.GetValueOrDefault("Private_Clean") + rollup.GetValueOrDefault("Private_Dirty"),
        };
    }

    /// <summary>"28.1 MiB RSS (anon 14.0, file 14.1), PSS 20.3 MiB, private 16.0 MiB".</summary>
    public override string ToString() =>
        $"{MiB(RssBytes)} MiB RSS (anon {MiB(RssAnonBytes)}, file {MiB(RssFileBytes)}), PSS {(PssBytes is { } pss ? MiB(pss) : "n/a")} MiB, private {(PrivateBytes is { } p ? MiB(p) : "n/a")} MiB";

    public JsonObject ToJson() => new()
    {
        ["rssBytes"] = RssBytes,
        ["rssAnonBytes"] = RssAnonBytes,
        ["rssFileBytes"] = RssFileBytes,
        ["pssBytes"] = PssBytes,
        ["privateBytes"] = PrivateBytes,
    };

    public static string MiB(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);

    // Lines such as "VmRSS:	   28764 kB"; values in kB become bytes.
    private static Dictionary<string, long> Fields(string[] lines)
    {
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim();
            if (!value.EndsWith(" kB", StringComparison.Ordinal))
            {
                continue;
            }

            if (long.TryParse(value.AsSpan(0, value.Length - 3).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
            {
                fields[line[..colon]] = kb * 1024;
            }
        }

        return fields;
    }
}
