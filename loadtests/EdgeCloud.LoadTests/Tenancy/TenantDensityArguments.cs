namespace EdgeCloud.LoadTests.Tenancy;

/// <summary>The command line of <c>tenants</c>.</summary>
internal sealed record TenantDensityArguments
{
    /// <summary>Clusters created in all. Defaults to 10,000 (300 with --quick).</summary>
    public required int Clusters { get; init; }

    /// <summary>Tenants they are spread over. Defaults to 20 (3 with --quick).</summary>
    public required int Tenants { get; init; }

    /// <summary>How long the server is left idle before its memory is read. Defaults to 30 s (10 s with --quick).</summary>
    public required TimeSpan Settle { get; init; }

    /// <summary>Where tenant-density-bench.json and .md go. Defaults to artifacts/bench.</summary>
    public required string OutputDirectory { get; init; }

    public static TenantDensityArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        if (BenchCommandLine.Parse(args, ["--quick"], new Dictionary<string, int> { ["--clusters"] = 100_000, ["--tenants"] = 1_000 }, out error) is not { } line)
        {
            return null;
        }

        var quick = line.Has("--quick");
        return new TenantDensityArguments
        {
            Clusters = line.Count("--clusters") ?? (quick ? 300 : 10_000),
            Tenants = line.Count("--tenants") ?? (quick ? 3 : 20),
            Settle = TimeSpan.FromSeconds(quick ? 10 : 30),
            OutputDirectory = line.OutputDirectory,
        };
    }
}
