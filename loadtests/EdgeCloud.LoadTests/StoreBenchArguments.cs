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
        var quick = false;
        var sqliteOnly = false;
        var postgresOnly = false;
        var output = Path.Combine("artifacts", "bench");
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--postgres-only":
                    postgresOnly = true;
                    break;
                case "--sqlite-only":
                    sqliteOnly = true;
                    break;
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
        return new StoreBenchArguments { Quick = quick, OutputDirectory = Path.GetFullPath(output), SqliteOnly = sqliteOnly, PostgresOnly = postgresOnly };
    }
}
