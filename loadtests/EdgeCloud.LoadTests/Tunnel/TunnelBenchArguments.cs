using System.Globalization;

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
        var quick = false;
        var skipIdle = false;
        var skipSsh = false;
        int? sessions = null;
        var output = Path.Combine("artifacts", "bench");
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--skip-idle":
                    skipIdle = true;
                    break;
                case "--skip-ssh":
                    skipSsh = true;
                    break;
                case "--sessions" when i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 20_000:
                    sessions = n;
                    i++;
                    break;
                case "--sessions":
                    error = "--sessions needs a number from 1 to 20000";
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
        return new TunnelBenchArguments { Quick = quick, IdleSessions = sessions ?? (quick ? 500 : 10_000), OutputDirectory = Path.GetFullPath(output), SkipIdle = skipIdle, SkipSsh = skipSsh };
    }
}
