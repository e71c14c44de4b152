using System.Runtime.InteropServices;

namespace EdgeCloud.LoadTests;

/// <summary>Where the benchmark ran: numbers from different machines are not comparable.</summary>
internal sealed record MachineInfo
{
    public required string Os { get; init; }

    public required string Runtime { get; init; }

    public required int ProcessorCount { get; init; }

    public required string Architecture { get; init; }

    /// <summary>Directory of the SQLite files (its file system decides the fsync cost).</summary>
    public string? SqliteDirectory { get; init; }

    /// <summary>
    /// The 1, 5 and 15 minute load averages (/proc/loadavg) when the run started and ended: other work on the
    /// machine skews every number here, and a load near or above <see cref="ProcessorCount"/> before the start says so.
    /// </summary>
    public string? LoadAverageAtStart { get; init; }

    public string? LoadAverageAtEnd { get; init; }

    public static MachineInfo Current(string? sqliteDirectory, string? loadAverageAtStart) => new()
    {
        Os = RuntimeInformation.OSDescription,
        Runtime = RuntimeInformation.FrameworkDescription,
        ProcessorCount = Environment.ProcessorCount,
        Architecture = RuntimeInformation.ProcessArchitecture.ToString(),
        SqliteDirectory = sqliteDirectory,
        LoadAverageAtStart = loadAverageAtStart,
        LoadAverageAtEnd = LoadAverage(),
    };

    /// <summary>"0.52 0.31 0.20", or null where /proc/loadavg does not exist.</summary>
    public static string? LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length >= 3 ? string.Join(' ', fields[..3]) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
