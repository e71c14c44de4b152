using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace EdgeCloud.Store.Tests;

/// <summary>
/// A write the store acknowledged survives the process being killed. A child process
/// (tests/EdgeCloud.Store.CrashWriter) writes with many concurrent writers and prints each acknowledged write;
/// the test kills it with SIGKILL in the middle of the stream, reopens the database, and looks for every write
/// it was told about. A store that answered before its transaction committed would lose the tail of the stream.
/// </summary>
public sealed class CrashDurabilityTests(ITestOutputHelper output)
{
    private const string Cluster = "crash";
    private const string Prefix = "/crash/";
    private const int Writers = 16;
    private const int AcksBeforeKill = 2_000;

    /// <summary>Longest wait for the child to start and acknowledge <see cref="AcksBeforeKill"/> writes.</summary>
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Longest wait for the killed child's stdout to reach end of file and for the process to be reaped.</summary>
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(StoreBackendKind.Sqlite, SqliteSynchronous.Full)]
    [InlineData(StoreBackendKind.Sqlite, SqliteSynchronous.Normal)]
    [InlineData(StoreBackendKind.Postgres, null)]
    public async Task Acknowledged_writes_survive_SIGKILL_of_the_writing_process(StoreBackendKind kind, SqliteSynchronous? synchronous)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await TestStoreHost.CreateAsync(kind);
        List<string> arguments = kind == StoreBackendKind.Sqlite
            ? ["--sqlite", host.SqlitePath, "--sync", synchronous == SqliteSynchronous.Normal ? "normal" : "full"]
            : ["--postgres", host.PostgresConnectionString!];
        arguments.AddRange(["--cluster", Cluster, "--writers", Writers.ToString(CultureInfo.InvariantCulture)]);

        var crash = await RunAndKillAsync(arguments, cancellationToken);

        Assert.True(crash.Errors.Count == 0, "the writer reported failures:\n" + string.Join('\n', crash.Errors.Take(10)) + "\nstderr:\n" + crash.Stderr);
        Assert.True(crash.Acks.Count >= AcksBeforeKill, $"only {crash.Acks.Count} acknowledged writes were read");
        var duplicates = crash.Acks.GroupBy(static a => a.ModRevision).Where(static g => g.Count() > 1).Take(5).ToList();
        Assert.True(duplicates.Count == 0, "two acknowledged writes share a revision: " +
            string.Join("; ", duplicates.Select(static g => $"{g.Key}: {string.Join(", ", g.Select(static a => a.Key))}")));
        if (kind == StoreBackendKind.Sqlite)
        {
            var wal = new FileInfo(host.SqlitePath + "-wal");
            output.WriteLine($"after the kill: {new FileInfo(host.SqlitePath).Length:N0} bytes of database, {(wal.Exists ? wal.Length : 0):N0} bytes of WAL to recover");
        }

        var reopening = Stopwatch.StartNew();
        var store = await host.OpenAsync();
        var head = await store.GetRevisionAsync(Cluster, cancellationToken);
        var stored = (await store.ListAllAsync(Cluster, Prefix)).ToDictionary(static i => i.Key, StringComparer.Ordinal);
        output.WriteLine($"reopened and listed {stored.Count:N0} keys in {reopening.ElapsedMilliseconds:N0} ms; revision {head:N0}");

        var lost = new List<string>();
        // Created keys are written once, so the stored version is exactly the acknowledged one.
        foreach (var ack in crash.Acks.Where(static a => !a.Key.EndsWith("/cas", StringComparison.Ordinal)))
        {
            if (!stored.TryGetValue(ack.Key, out var item))
            {
                lost.Add($"{ack.Key} (created at revision {ack.ModRevision}) is missing");
            }
            else if (item.ModRevision != ack.ModRevision || item.CreateRevision != ack.ModRevision || Hash(item.Value) != ack.ValueHash)
            {
                lost.Add($"{ack.Key} was acknowledged at revision {ack.ModRevision} with value {ack.ValueHash[..12]}, stored at create {item.CreateRevision} mod {item.ModRevision} with value {Hash(item.Value)[..12]}");
            }
        }

        // A writer's compare-and-swap key may have moved on by a write that committed but was not acknowledged
        // before the kill; it may never be older than the last acknowledged version.
        var casKeys = 0;
        foreach (var last in crash.Acks.Where(static a => a.Key.EndsWith("/cas", StringComparison.Ordinal)).GroupBy(static a => a.Key).Select(static g => g.MaxBy(static a => a.ModRevision)!))
        {
            casKeys++;
            if (!stored.TryGetValue(last.Key, out var item))
            {
                lost.Add($"{last.Key} (last acknowledged at revision {last.ModRevision}) is missing");
            }
            else if (item.ModRevision < last.ModRevision || (item.ModRevision == last.ModRevision && Hash(item.Value) != last.ValueHash))
            {
                lost.Add($"{last.Key} was last acknowledged at revision {last.ModRevision} with value {last.ValueHash[..12]}, stored at mod {item.ModRevision} with value {Hash(item.Value)[..12]}");
            }
        }

        Assert.True(lost.Count == 0, $"{lost.Count} of {crash.Acks.Count} acknowledged writes were lost:\n{string.Join('\n', lost.Take(20))}");
        Assert.Equal(Writers, casKeys);
        var maxAcked = crash.Acks.Max(static a => a.ModRevision);
        Assert.True(head >= maxAcked, $"the cluster revision went back to {head} after the crash; revision {maxAcked} had been acknowledged");

        if (kind == StoreBackendKind.Sqlite)
        {
            Assert.Equal("ok", Assert.Single(await IntegrityCheckAsync(host.SqlitePath, cancellationToken)));
        }

        // The recovered store goes on from its recovered revision, without reusing one.
        var next = await store.CreateAsync(Cluster, "/crash/after-restart", "after".Bytes(), cancellationToken: cancellationToken);
        Assert.Equal(WriteStatus.Applied, next.Status);
        Assert.Equal(head + 1, next.Revision);
    }

    private async Task<CrashRun> RunAndKillAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(CrashWriterPath());
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        var stdout = new ChildOutput(AcksBeforeKill);
        Task reading = Task.CompletedTask;
        Task<string> stderr = Task.FromResult(string.Empty);
        var started = false;
        try
        {
            var clock = Stopwatch.StartNew();
            process.Start();
            started = true;
            // Read both pipes from the start so that the child never blocks on a full pipe.
            reading = stdout.ReadToEndAsync(process.StandardOutput.BaseStream, cancellationToken);
            stderr = process.StandardError.ReadToEndAsync(cancellationToken);

            var first = await WithTimeout(Task.WhenAny(stdout.Settled, reading), AckTimeout,
                () => $"the writer acknowledged {stdout.AckCount} of {AcksBeforeKill} writes within {AckTimeout}", cancellationToken);
            if (first != stdout.Settled)
            {
                await reading;
                Assert.Fail($"the writer exited after {stdout.AckCount} acknowledged writes:\n{await stderr}");
            }

            var untilThreshold = clock.Elapsed;
            var acksAtKill = stdout.AckCount;
            // On Unix Process.Kill() is kill(pid, SIGKILL) (see System.Diagnostics.Process.Unix.cs): the child gets no
            // chance to finish a commit, run finalizers or flush anything; the exit code asserted below confirms it.
            process.Kill();
            // Keep reading to end of file: a line fully written to the pipe before the kill is an acknowledged write.
            await WithTimeout(reading, ExitTimeout, () => "the killed writer's stdout did not reach end of file", cancellationToken);
            await WithTimeout(process.WaitForExitAsync(cancellationToken), ExitTimeout, () => "the killed writer was not reaped", cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                // A process ended by signal N reports 128 + N; SIGKILL is 9.
                Assert.Equal(128 + 9, process.ExitCode);
            }

            var stderrText = await WithTimeout(stderr, ExitTimeout, () => "the killed writer's stderr did not reach end of file", cancellationToken);
            output.WriteLine(
                $"{stdout.AckCount:N0} acknowledged writes: {acksAtKill:N0} when killed, {AcksBeforeKill:N0} after {untilThreshold.TotalMilliseconds:N0} ms; " +
                $"{stdout.PartialLineBytes} bytes of a partial last line ignored");
            return new CrashRun(stdout.Acks, stdout.Errors, stderrText);
        }
        finally
        {
            // Also when an assertion above failed: never leave a writer behind holding the database.
            if (started && !process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(ExitTimeout, CancellationToken.None)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await ((Task)stderr).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task<T> WithTimeout<T>(Task<T> task, TimeSpan timeout, Func<string> failure, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail(failure());
            throw;
        }
    }

    private static async Task WithTimeout(Task task, TimeSpan timeout, Func<string> failure, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail(failure());
        }
    }

    private static async Task<List<string>> IntegrityCheckAsync(string path, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static string Hash(ReadOnlyMemory<byte> value) => Convert.ToHexStringLower(SHA256.HashData(value.Span));

    /// <summary>The dotnet host that runs the tests, so that the child runs on the same runtime.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        // Under `dotnet test` the test host may be the apphost (EdgeCloud.Store.Tests) rather than dotnet itself.
        return Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    /// <summary>
    /// The CrashWriter built beside this assembly: the test project references it with ReferenceOutputAssembly=false,
    /// so it is built in the same configuration but not copied here.
    /// </summary>
    private static string CrashWriterPath()
    {
        var configuration = typeof(CrashDurabilityTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EdgeCloud.sln")))
            {
                var path = Path.Combine(directory.FullName, "tests", "EdgeCloud.Store.CrashWriter", "bin", configuration, framework, "EdgeCloud.Store.CrashWriter.dll");
                Assert.True(File.Exists(path), $"{path} does not exist: build it with `dotnet build tests/EdgeCloud.Store.Tests -c {configuration}`");
                return path;
            }
        }

        Assert.Fail($"no EdgeCloud.sln in {AppContext.BaseDirectory} or above it");
        return null!;
    }

    private sealed record Ack(string Key, long ModRevision, string ValueHash);

    private sealed record CrashRun(IReadOnlyList<Ack> Acks, IReadOnlyList<string> Errors, string Stderr);

    /// <summary>
    /// Parses the child's stdout. Only lines ended by '\n' count: a line cut short by the kill was never
    /// completely reported, so its write is not known to be acknowledged.
    /// </summary>
    private sealed class ChildOutput(int threshold)
    {
        private readonly Lock _gate = new();
        private readonly List<Ack> _acks = [];
        private readonly List<string> _errors = [];
        private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _ready;

        /// <summary>Completes when <c>threshold</c> acknowledgements arrived, or on the first error the child reports.</summary>
        public Task Settled => _settled.Task;

        public int AckCount
        {
            get
            {
                lock (_gate)
                {
                    return _acks.Count;
                }
            }
        }

        public IReadOnlyList<Ack> Acks
        {
            get
            {
                lock (_gate)
                {
                    return [.. _acks];
                }
            }
        }

        public IReadOnlyList<string> Errors
        {
            get
            {
                lock (_gate)
                {
                    return [.. _errors];
                }
            }
        }

        public int PartialLineBytes { get; private set; }

        public async Task ReadToEndAsync(Stream stream, CancellationToken cancellationToken)
        {
            var buffer = new byte[64 * 1024];
            var line = new StringBuilder();
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                foreach (var b in buffer.AsSpan(0, read))
                {
                    if (b == (byte)'\n')
                    {
                        OnLine(line.ToString());
                        line.Clear();
                    }
                    else
                    {
                        // The protocol is ASCII.
                        line.Append((char)b);
                    }
                }
            }

            PartialLineBytes = line.Length;
        }

        private void OnLine(string line)
        {
            lock (_gate)
            {
                if (line == "READY" && !_ready)
                {
                    _ready = true;
                    return;
                }

                var parts = line.Split(' ');
                if (_ready && parts is ["ACK", var key, var revisionText, var hash]
                    && long.TryParse(revisionText, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
                    && hash.Length == 64)
                {
                    _acks.Add(new Ack(key, revision, hash));
                    if (_acks.Count >= threshold)
                    {
                        _settled.TrySetResult();
                    }

                    return;
                }

                _errors.Add(line.StartsWith("ERROR ", StringComparison.Ordinal) ? line : $"unexpected line on stdout: \"{line}\"");
                _settled.TrySetResult();
            }
        }
    }
}
