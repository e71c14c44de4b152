namespace EdgeCloud.LoadTests.Controllers;

/// <summary>The command line of <c>idle-clusters</c>.</summary>
internal sealed record IdleClustersArguments
{
    /// <summary>Clusters whose controllers the process runs. Defaults to 1,000 (200 with --quick).</summary>
    public required int Clusters { get; init; }

    /// <summary>How long each idle window is measured. Defaults to 20 s (5 s with --quick).</summary>
    public required TimeSpan Window { get; init; }

    /// <summary>Where idle-clusters-bench.json and .md go. Defaults to artifacts/bench.</summary>
    public required string OutputDirectory { get; init; }

    public static IdleClustersArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        if (BenchCommandLine.Parse(args, ["--quick"], new Dictionary<string, int> { ["--clusters"] = 100_000 }, out error) is not { } line)
        {
            return null;
        }

        var quick = line.Has("--quick");
        return new IdleClustersArguments
        {
            Clusters = line.Count("--clusters") ?? (quick ? 200 : 1_000),
            Window = TimeSpan.FromSeconds(quick ? 5 : 20),
            OutputDirectory = line.OutputDirectory,
        };
    }
}
