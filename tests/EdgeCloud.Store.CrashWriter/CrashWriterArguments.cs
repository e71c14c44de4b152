namespace EdgeCloud.Store.CrashWriter;

/// <summary>The command line: which database to write to, which cluster, and how many concurrent writers.</summary>
internal sealed record CrashWriterArguments
{
    public const string Usage =
        "usage: EdgeCloud.Store.CrashWriter (--sqlite PATH [--sync full|normal] | --postgres CONNSTRING) --cluster ID [--writers N]";

    public string? SqlitePath { get; init; }

    public SqliteSynchronous Synchronous { get; init; } = SqliteSynchronous.Full;

    public string? PostgresConnectionString { get; init; }

    public required string ClusterId { get; init; }

    /// <summary>Concurrent writer loops. Defaults to 16, enough for group commit to batch several writes per transaction.</summary>
    public int Writers { get; init; } = 16;

    /// <summary>Parses the arguments, or returns null with a message that says what to fix.</summary>
    public static CrashWriterArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        string? sqlite = null;
        string? postgres = null;
        string? cluster = null;
        var synchronous = SqliteSynchronous.Full;
        var writers = 16;
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (i + 1 >= args.Count)
            {
                error = $"{args[i]} needs a value";
                return null;
            }

            var value = args[++i];
            switch (args[i - 1])
            {
                case "--sqlite":
                    sqlite = value;
                    break;
                case "--postgres":
                    postgres = value;
                    break;
                case "--cluster":
                    cluster = value;
                    break;
                case "--sync" when string.Equals(value, "full", StringComparison.OrdinalIgnoreCase):
                    synchronous = SqliteSynchronous.Full;
                    break;
                case "--sync" when string.Equals(value, "normal", StringComparison.OrdinalIgnoreCase):
                    synchronous = SqliteSynchronous.Normal;
                    break;
                case "--sync":
                    error = $"--sync must be full or normal, not \"{value}\"";
                    return null;
                case "--writers" when int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1024:
                    writers = n;
                    break;
                case "--writers":
                    error = $"--writers must be a number from 1 to 1024, not \"{value}\"";
                    return null;
                default:
                    error = $"unknown option {args[i - 1]}";
                    return null;
            }
        }

        if ((sqlite is null) == (postgres is null))
        {
            error = "give exactly one of --sqlite PATH or --postgres CONNSTRING";
            return null;
        }

        if (string.IsNullOrEmpty(cluster))
        {
            error = "--cluster ID is required";
            return null;
        }

        return new CrashWriterArguments
        {
            SqlitePath = sqlite,
            Synchronous = synchronous,
            PostgresConnectionString = postgres,
            ClusterId = cluster,
            Writers = writers,
        };
    }
}
