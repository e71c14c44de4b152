using System.Globalization;

namespace EdgeCloud.LoadTests.Scheduling;

/// <summary>The command line of <c>schedule</c>.</summary>
internal sealed record ScheduleBenchArguments
{
    /// <summary>Nodes and pods of the full run: the figures.</summary>
    public const int FullNodes = 1_000;

    public const int FullPods = 10_000;

    /// <summary>Nodes and pods of a quick run (about a minute, for CI).</summary>
    public const int QuickNodes = 100;

    public const int QuickPods = 1_000;

    /// <summary>Concurrent clients creating pods, in the measured phase and in the baseline (the figure: 16).</summary>
    public const int Clients = 16;

    /// <summary>Smaller counts: a smoke run.</summary>
    public required bool Quick { get; init; }

    /// <summary>Simulated nodes. Defaults to 1,000 (100 with --quick).</summary>
    public required int Nodes { get; init; }

    /// <summary>Pods measured, and as many created for the baseline. Defaults to 10,000 (1,000 with --quick).</summary>
    public required int Pods { get; init; }

    /// <summary>Where schedule-bench.json and schedule-bench.md go. Defaults to artifacts/bench.</summary>
    public required string OutputDirectory { get; init; }

    public static ScheduleBenchArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        var quick = false;
        int? nodes = null;
        int? pods = null;
        var output = Path.Combine("artifacts", "bench");
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--nodes" when i + 1 < args.Count && TryCount(args[i + 1], 10_000, out var n):
                    nodes = n;
                    i++;
                    break;
                case "--nodes":
                    error = "--nodes needs a number from 1 to 10000";
                    return null;
                case "--pods" when i + 1 < args.Count && TryCount(args[i + 1], 1_000_000, out var p):
                    pods = p;
                    i++;
                    break;
                case "--pods":
                    error = "--pods needs a number from 1 to 1000000";
                    return null;
                case "--out" when i + 1 < args.Count:
                    output = args[++i];
                    break;
                case "--out":
                    error = "--out needs a directory";
                    return null;
                default:
                    error = $"unknown argument \"{args[i]}\"";
                    return null;
            }
        }

        error = null;
        return new ScheduleBenchArguments
        {
            Quick = quick,
            Nodes = nodes ?? (quick ? QuickNodes : FullNodes),
            Pods = pods ?? (quick ? QuickPods : FullPods),
            OutputDirectory = Path.GetFullPath(output),
        };
    }

    private static bool TryCount(string text, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max;
}
