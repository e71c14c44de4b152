using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace EdgeCloud.LoadTests;

/// <summary>
/// PostgreSQL's own ceiling for one-row transactions: <c>pgbench</c> (a child process) against the same server
/// and database, on a table of its own, with N clients. Each transaction is one INSERT of a new key, or one
/// UPDATE of one of the client's own pre-populated rows, with a 256-byte value, in autocommit.
/// </summary>
internal sealed partial class PgBench(string executable, NpgsqlConnectionStringBuilder target)
{
    private const string UpdateKeyPrefix = "/registry/leases/pgbench/c";

    /// <summary>pgbench in $EDGECLOUD_PGBIN, else on the PATH; null when there is none.</summary>
    public static string? Locate()
    {
        if (Environment.GetEnvironmentVariable("EDGECLOUD_PGBIN") is { Length: > 0 } bin)
        {
            var candidate = Path.Combine(bin, "pgbench");
            return File.Exists(candidate) ? candidate : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(static dir => Path.Combine(dir, "pgbench"))
            .FirstOrDefault(File.Exists);
    }

    public static string Method(int clients, int seconds) => $"pgbench -n -c {clients} -j {Math.Min(clients, 2)} -T {seconds}, one-row autocommit transaction";

    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        var (exitCode, output, _) = await RunAsync(["--version"], TimeSpan.FromSeconds(30), cancellationToken);
        return exitCode == 0 ? output.Trim() : "pgbench (version unknown)";
    }

    /// <summary>Creates the table and the rows the update clients write (each client its own rows).</summary>
    public async Task PrepareAsync(int maxClients, int keysPerClient, int valueBytes, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        // The same key collation and fill factor as the store's edgecloud_kv, so that the one-row work is comparable.
        await using var command = new NpgsqlCommand($"""
            CREATE TABLE IF NOT EXISTS bench_kv (
                k   text   COLLATE "C" NOT NULL PRIMARY KEY,
                v   bytea  NOT NULL,
                rev bigint NOT NULL DEFAULT 0
            ) WITH (fillfactor = 70);
            CREATE SEQUENCE IF NOT EXISTS bench_seq;
            INSERT INTO bench_kv (k, v)
                 SELECT '{UpdateKeyPrefix}' || c || '-' || i, decode(repeat('ab', {valueBytes}), 'hex')
                   FROM generate_series(0, {maxClients - 1}) c, generate_series(0, {keysPerClient - 1}) i
                 ON CONFLICT DO NOTHING;
            """, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        // VACUUM may not share a command with other statements.
        await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE bench_kv", connection);
        await vacuum.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<CeilingMeasurement> MeasureAsync(WriteWorkload workload, int clients, StoreBenchSettings settings, CancellationToken cancellationToken)
    {
        // pgbench takes whole seconds.
        var seconds = Math.Max(1, (int)Math.Round(settings.PointSeconds, MidpointRounding.AwayFromZero));
        var method = Method(clients, seconds);
        var value = $"decode(repeat('{(workload == WriteWorkload.Creates ? "ab" : "cd")}', {settings.ValueBytes}), 'hex')";
        var script = workload == WriteWorkload.Creates
            ? $"INSERT INTO bench_kv (k, v) VALUES ('/registry/pods/pgbench/c' || :client_id || '-' || lpad(nextval('bench_seq')::text, 12, '0'), {value});\n"
            : $"\\set id random(0, {settings.KeysPerUpdateWriter - 1})\nUPDATE bench_kv SET v = {value}, rev = rev + 1 WHERE k = '{UpdateKeyPrefix}' || :client_id || '-' || :id;\n";
        var scriptPath = Path.Combine(Path.GetTempPath(), $"edgecloud-pgbench-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(scriptPath, script, cancellationToken);
        try
        {
            List<string> arguments = ["-n", "-c", Invariant(clients), "-j", Invariant(Math.Min(clients, 2)), "-T", Invariant(seconds), "-f", scriptPath];
            if (target.Host is { Length: > 0 } host)
            {
                arguments.AddRange(["-h", host]);
            }

            arguments.AddRange(["-p", Invariant(target.Port)]);
            if (target.Username is { Length: > 0 } user)
            {
                arguments.AddRange(["-U", user]);
            }

            arguments.Add(target.Database!);
            var (exitCode, output, errors) = await RunAsync(arguments, TimeSpan.FromSeconds(seconds + 120), cancellationToken);
            var match = TpsLine().Match(output);
            if (exitCode != 0 || !match.Success)
            {
                return new CeilingMeasurement { Method = method, Error = $"pgbench exited with {exitCode}: {Tail(errors + output)}" };
            }

            return new CeilingMeasurement { Method = method, PerSecond = double.Parse(match.Groups["tps"].Value, CultureInfo.InvariantCulture) };
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }

    private async Task<(int ExitCode, string Output, string Errors)> RunAsync(IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // libpq reads the password and TLS mode from the environment: nothing secret on the command line.
        if (target.Password is { Length: > 0 } password)
        {
            startInfo.Environment["PGPASSWORD"] = password;
        }

        startInfo.Environment["PGSSLMODE"] = target.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        };

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {executable}");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
            var errors = process.StandardError.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            return (process.ExitCode, await output, await errors);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Tail(string text) => text.Length <= 600 ? text.Trim() : "…" + text[^600..].Trim();

    // pgbench 14+: "tps = 1234.567890 (without initial connection time)"; before: "(excluding connections establishing)".
    [GeneratedRegex(@"^tps = (?<tps>[0-9.]+) \((?:without initial connection time|excluding connections establishing)\)", RegexOptions.Multiline)]
    private static partial Regex TpsLine();
}
