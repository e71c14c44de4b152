namespace EdgeCloud.LoadTests.PortForward;

/// <summary>The command line of <c>port-forward</c>.</summary>
internal sealed record PortForwardBenchArguments
{
    /// <summary>Smaller transfers and fewer opens: a smoke run of about a minute.</summary>
    public required bool Quick { get; init; }

    /// <summary>Bytes per throughput run: 512 MiB (64 MiB with --quick).</summary>
    public long TransferBytes => Quick ? 64L << 20 : 512L << 20;

    /// <summary>Runs per path and connection count; the median is reported.</summary>
    public int Repeats => Quick ? 3 : 5;

    /// <summary>Connections opened for the open-to-first-byte latency: 500 (100 with --quick).</summary>
    public int Opens => Quick ? 100 : 500;

    /// <summary>Where portforward-bench.json and .md go. Defaults to artifacts/bench.</summary>
    public required string OutputDirectory { get; init; }

    public static PortForwardBenchArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        if (BenchCommandLine.Parse(args, ["--quick"], new Dictionary<string, int>(), out error) is not { } line)
        {
            return null;
        }

        return new PortForwardBenchArguments { Quick = line.Has("--quick"), OutputDirectory = line.OutputDirectory };
    }
}
