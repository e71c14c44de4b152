namespace EdgeCloud.LoadTests;

/// <summary>The command line of <c>store</c>.</summary>
internal sealed record StoreBenchArguments
{
    /// <summary>Shorter points and 20,000 churn updates instead of 1,000,000: a smoke run of every scenario.</summary>
    public required bool Quick { get; init; }

    /// <summary>Where store-bench.json and store-bench.md go. Defaults to artifacts/bench.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Skip PostgreSQL even when EDGECLOUD_BENCH_POSTGRES is set.</summary>
    public required bool SqliteOnly { get; init; }

    /// <summary>Skip SQLite (--postgres-only), e.g. to re-measure only the PostgreSQL backend.</summary>
    public bool PostgresOnly { get; init; }

    public static StoreBenchArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        if (BenchCommandLine.Parse(args, ["--quick", "--sqlite-only", "--postgres-only"], new Dictionary<string, int>(), out error) is not { } line)
        {
            return null;
        }

        return new StoreBenchArguments
        {
            Quick = line.Has("--quick"),
            OutputDirectory = line.OutputDirectory,
            SqliteOnly = line.Has("--sqlite-only"),
            PostgresOnly = line.Has("--postgres-only"),
        };
    }
}
