using System.Globalization;

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
        var quick = false;
        var clients = 16;
        var output = Path.Combine("artifacts", "bench");
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--clients" when i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 1024:
                    clients = n;
                    i++;
                    break;
                case "--clients":
                    error = "--clients needs a number from 1 to 1024";
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
        return new ApiBenchArguments { Quick = quick, Clients = clients, OutputDirectory = Path.GetFullPath(output) };
    }
}
