using EdgeCloud.Store;
using Npgsql;

namespace EdgeCloud.LoadTests;

/// <summary>
/// PostgreSQL from EDGECLOUD_BENCH_POSTGRES: one fresh database per scenario, dropped at the end. The pgbench
/// ceiling runs in the "writes" database, on a table of its own beside the store's.
/// </summary>
internal sealed class PostgresBenchBackend(string adminConnectionString, string? pgbenchPath) : IBenchBackend
{
    public const string EnvironmentVariable = "EDGECLOUD_BENCH_POSTGRES";

    private const string CeilingScenario = "writes";

    private readonly Dictionary<string, PostgresBenchDatabase> _databases = new(StringComparer.Ordinal);
    private PgBench? _pgbench;

    public string Name => "postgres";

    public async Task<string> DescribeVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 'PostgreSQL ' || current_setting('server_version') || ', fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit')", connection);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<string> DescribeCeilingAsync(CancellationToken cancellationToken) =>
        pgbenchPath is null
            ? "pgbench not found (set EDGECLOUD_PGBIN or put pgbench on the PATH)"
            : $"{await new PgBench(pgbenchPath, new NpgsqlConnectionStringBuilder(adminConnectionString)).VersionAsync(cancellationToken)} at {pgbenchPath}";

    public async Task<RevisionedStore> OpenStoreAsync(string scenario, RevisionedStoreOptions options, CancellationToken cancellationToken) =>
        await RevisionedStore.OpenPostgresAsync((await DatabaseAsync(scenario, cancellationToken)).ConnectionString, options, null, cancellationToken);

    public async Task<CeilingMeasurement> MeasureCeilingAsync(WriteWorkload workload, int writers, StoreBenchSettings settings, CancellationToken cancellationToken)
    {
        if (pgbenchPath is null)
        {
            return new CeilingMeasurement { Method = "pgbench", Error = "pgbench not found: set EDGECLOUD_PGBIN to the PostgreSQL bin directory or put pgbench on the PATH" };
        }

        if (_pgbench is null)
        {
            var database = await DatabaseAsync(CeilingScenario, cancellationToken);
            var pgbench = new PgBench(pgbenchPath, new NpgsqlConnectionStringBuilder(database.ConnectionString));
            await pgbench.PrepareAsync(settings.WriterCounts.Max(), settings.KeysPerUpdateWriter, settings.ValueBytes, cancellationToken);
            _pgbench = pgbench;
        }

        return await _pgbench.MeasureAsync(workload, writers, settings, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, long>> DescribeStorageAsync(string scenario, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection((await DatabaseAsync(scenario, cancellationToken)).ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT pg_total_relation_size('edgecloud_kv'), pg_total_relation_size('edgecloud_log'), pg_total_relation_size('edgecloud_clusters'),
                   pg_relation_size('edgecloud_kv'), pg_relation_size('edgecloud_log'),
                   pg_indexes_size('edgecloud_kv'), pg_indexes_size('edgecloud_log'),
                   (SELECT count(*) FROM edgecloud_log), (SELECT count(*) FROM edgecloud_kv)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new Dictionary<string, long>
        {
            ["kvTotalBytes"] = reader.GetInt64(0),
            ["logTotalBytes"] = reader.GetInt64(1),
            ["clustersTotalBytes"] = reader.GetInt64(2),
            ["kvHeapBytes"] = reader.GetInt64(3),
            ["logHeapBytes"] = reader.GetInt64(4),
            ["kvIndexBytes"] = reader.GetInt64(5),
            ["logIndexBytes"] = reader.GetInt64(6),
            ["historyRows"] = reader.GetInt64(7),
            ["liveRows"] = reader.GetInt64(8),
        };
    }

    public string? SharedConnectionString(string scenario) =>
        _databases.TryGetValue(scenario, out var database) ? database.ConnectionString : null;

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases.Values)
        {
            await database.DisposeAsync();
        }

        _databases.Clear();
    }

    private async Task<PostgresBenchDatabase> DatabaseAsync(string scenario, CancellationToken cancellationToken)
    {
        if (!_databases.TryGetValue(scenario, out var database))
        {
            database = await PostgresBenchDatabase.CreateAsync(adminConnectionString, scenario, cancellationToken);
            _databases[scenario] = database;
        }

        return database;
    }
}
