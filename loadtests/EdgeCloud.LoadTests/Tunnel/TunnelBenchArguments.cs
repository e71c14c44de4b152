namespace EdgeCloud.LoadTests.Tunnel;

/// <summary>The command line of <c>tunnel</c>.</summary>
internal sealed record TunnelBenchArguments
{
    /// <summary>Smaller counts: a smoke run (128 MiB transfers, 500 idle sessions, a 35 s keepalive window).</summary>
    public required bool Quick { get; init; }

    /// <summary>Idle sessions opened by the load process. Defaults to 10,000 (500 with --quick).</summary>
    public required int IdleSessions { get; init; }

    /// <summary>Skips the idle-session measurement and writes no report: for profiling the data path.</summary>
    public bool SkipIdle { get; init; }

    /// <summary>Skips the ssh -R path.</summary>
    public bool SkipSsh { get; init; }

    /// <summary>Where tunnel-bench.json and tunnel-bench.md go. Defaults to artifacts/bench.</summary>
    public required string OutputDirectory { get; init; }

    public static TunnelBenchArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        if (BenchCommandLine.Parse(args, ["--quick", "--skip-idle", "--skip-ssh"], new Dictionary<string, int> { ["--sessions"] = 20_000 }, out error) is not { } line)
        {
            return null;
        }

        var quick = line.Has("--quick");
        return new TunnelBenchArguments
        {
            Quick = quick,
            IdleSessions = line.Count("--sessions") ?? (quick ? 500 : 10_000),
            OutputDirectory = line.OutputDirectory,
            SkipIdle = line.Has("--skip-idle"),
            SkipSsh = line.Has("--skip-ssh"),
        };
    }
}
