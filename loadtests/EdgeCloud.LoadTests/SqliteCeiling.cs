using Microsoft.Data.Sqlite;

namespace EdgeCloud.LoadTests;

/// <summary>
/// SQLite's own ceiling for one-row transactions: a plain Microsoft.Data.Sqlite loop in this process, on a file
/// with the store's settings (WAL, synchronous=FULL, incremental auto-vacuum). Each of N writers has its own
/// connection and commits one autocommit INSERT or UPDATE per transaction, waiting on SQLite's busy handler
/// for the write lock. Writers run on dedicated threads because SQLite calls block.
/// </summary>
internal sealed class SqliteCeiling(string path)
{
    private const string UpdateKeyPrefix = "/registry/leases/ceiling/";

    public static string Method(int writers) => $"Microsoft.Data.Sqlite, {writers} connection(s), one autocommit statement per transaction, WAL, synchronous=FULL, busy_timeout=60000";

    public async Task PrepareAsync(int maxWriters, int keysPerWriter, int valueBytes, CancellationToken cancellationToken)
    {
        await using var connection = Open(SqliteOpenMode.ReadWriteCreate);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA auto_vacuum = INCREMENTAL;
            PRAGMA journal_mode = WAL;
            PRAGMA journal_size_limit = 67108864;
            CREATE TABLE IF NOT EXISTS bench_kv (k TEXT NOT NULL PRIMARY KEY, v BLOB NOT NULL, rev INTEGER NOT NULL DEFAULT 0);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);

        await using var transaction = connection.BeginTransaction();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR IGNORE INTO bench_kv (k, v) VALUES ($k, $v)";
        var key = command.Parameters.Add("$k", SqliteType.Text);
        command.Parameters.AddWithValue("$v", BenchValues.Create(valueBytes));
        for (var w = 0; w < maxWriters; w++)
        {
            for (var i = 0; i < keysPerWriter; i++)
            {
                key.Value = UpdateKey(w, i);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<CeilingMeasurement> MeasureAsync(WriteWorkload workload, int writers, StoreBenchSettings settings, CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var sample = await TimedRun.MeasureAsync(
            writers,
            (w, gate) => Task.Factory.StartNew(
                () => Write(workload, run, w, gate, settings),
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default),
            settings.Warmup,
            settings.Point,
            cancellationToken);
        return new CeilingMeasurement { PerSecond = sample.PerSecond, Method = Method(writers) };
    }

    private void Write(WriteWorkload workload, string run, int writer, WorkerGate gate, StoreBenchSettings settings)
    {
        using var connection = Open(SqliteOpenMode.ReadWrite);
        using (var pragma = connection.CreateCommand())
        {
            // synchronous is a per-connection setting; the store's writer connection uses the same.
            pragma.CommandText = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 60000;";
            pragma.ExecuteNonQuery();
        }

        using var command = connection.CreateCommand();
        command.CommandText = workload == WriteWorkload.Creates
            ? "INSERT INTO bench_kv (k, v) VALUES ($k, $v)"
            : "UPDATE bench_kv SET v = $v, rev = rev + 1 WHERE k = $k";
        var key = command.Parameters.Add("$k", SqliteType.Text);
        var value = BenchValues.Create(settings.ValueBytes);
        var valueParameter = command.Parameters.Add("$v", SqliteType.Blob);
        command.Prepare();
        for (long n = 0; !gate.Stopping; n++)
        {
            key.Value = workload == WriteWorkload.Creates
                ? $"/registry/pods/ceiling/{run}/w{writer:D2}-{n:D9}"
                : UpdateKey(writer, (int)(n % settings.KeysPerUpdateWriter));
            BenchValues.Stamp(value, n);
            valueParameter.Value = value;
            if (command.ExecuteNonQuery() != 1)
            {
                throw new InvalidOperationException($"the ceiling's {workload} of {key.Value} changed no row");
            }

            gate.Counted();
        }
    }

    private static string UpdateKey(int writer, int index) => $"{UpdateKeyPrefix}w{writer:D2}-{index:D3}";

    private SqliteConnection Open(SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString());
        connection.Open();
        return connection;
    }
}
