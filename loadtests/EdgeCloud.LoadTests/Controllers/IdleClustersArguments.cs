using System.Globalization;

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
        var quick = args.Contains("--quick");
        int? clusters = null;
        var output = Path.Combine("artifacts", "bench");
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    break;
                case "--clusters" when i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 100_000:
                    clusters = n;
                    i++;
                    break;
                case "--clusters":
                    error = "--clusters needs a number from 1 to 100000";
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
        return new IdleClustersArguments
        {
            Clusters = clusters ?? (quick ? 200 : 1_000),
            Window = TimeSpan.FromSeconds(quick ? 5 : 20),
            OutputDirectory = Path.GetFullPath(output),
        };
    }
}
