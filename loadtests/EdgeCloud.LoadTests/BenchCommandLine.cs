using System.Globalization;

namespace EdgeCloud.LoadTests;

/// <summary>
/// The command line every benchmark shares: on/off flags, counts within a range, and <c>--out DIR</c> (default
/// artifacts/bench). Anything else is refused with a message naming it.
/// </summary>
internal sealed class BenchCommandLine
{
    private readonly HashSet<string> _flags;
    private readonly Dictionary<string, int> _counts;

    private BenchCommandLine(HashSet<string> flags, Dictionary<string, int> counts, string outputDirectory)
    {
        _flags = flags;
        _counts = counts;
        OutputDirectory = outputDirectory;
    }

    /// <summary>The full path of --out, or of artifacts/bench.</summary>
    public string OutputDirectory { get; }

    /// <summary>Whether <paramref name="flag"/> was given.</summary>
    public bool Has(string flag) => _flags.Contains(flag);

    /// <summary>The count given for <paramref name="option"/>, or null.</summary>
    public int? Count(string option) => _counts.TryGetValue(option, out var value) ? value : null;

    /// <summary>
    /// Reads <paramref name="args"/>: each of <paramref name="flags"/> stands alone, each of <paramref name="counts"/>
    /// takes a number from 1 to its maximum. Null, with <paramref name="error"/> set, for anything else.
    /// </summary>
    public static BenchCommandLine? Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> flags, IReadOnlyDictionary<string, int> counts, out string? error)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        var output = Path.Combine("artifacts", "bench");
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (flags.Contains(arg))
            {
                seen.Add(arg);
            }
            else if (counts.TryGetValue(arg, out var max))
            {
                if (i + 1 >= args.Count || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1 || value > max)
                {
                    error = $"{arg} needs a number from 1 to {max.ToString(CultureInfo.InvariantCulture)}";
                    return null;
                }

                values[arg] = value;
                i++;
            }
            else if (arg == "--out")
            {
                if (i + 1 >= args.Count)
                {
                    error = "--out needs a directory";
                    return null;
                }

                output = args[++i];
            }
            else
            {
                error = $"unknown argument \"{arg}\"";
                return null;
            }
        }

        error = null;
        return new BenchCommandLine(seen, values, Path.GetFullPath(output));
    }
}
