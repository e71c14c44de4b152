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
        if (BenchCommandLine.Parse(args, ["--quick"], new Dictionary<string, int> { ["--nodes"] = 10_000, ["--pods"] = 1_000_000 }, out error) is not { } line)
        {
            return null;
        }

        var quick = line.Has("--quick");
        return new ScheduleBenchArguments
        {
            Quick = quick,
            Nodes = line.Count("--nodes") ?? (quick ? QuickNodes : FullNodes),
            Pods = line.Count("--pods") ?? (quick ? QuickPods : FullPods),
            OutputDirectory = line.OutputDirectory,
        };
    }
}
