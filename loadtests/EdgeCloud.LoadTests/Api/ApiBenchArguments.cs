namespace EdgeCloud.LoadTests.Api;

/// <summary>The command line of <c>api</c>.</summary>
internal sealed record ApiBenchArguments
{
    /// <summary>Smaller counts: a smoke run.</summary>
    public required bool Quick { get; init; }

    /// <summary>Concurrent clients for creates and gets. Defaults to 16, the figure.</summary>
    public required int Clients { get; init; }

    /// <summary>Where api-bench.json and api-bench.md go. Defaults to artifacts/bench.</summary>
    public required string OutputDirectory { get; init; }

    public static ApiBenchArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        if (BenchCommandLine.Parse(args, ["--quick"], new Dictionary<string, int> { ["--clients"] = 1024 }, out error) is not { } line)
        {
            return null;
        }

        return new ApiBenchArguments { Quick = line.Has("--quick"), Clients = line.Count("--clients") ?? 16, OutputDirectory = line.OutputDirectory };
    }
}
