using EdgeCloud.Store;
using Microsoft.Data.Sqlite;

namespace EdgeCloud.LoadTests;

/// <summary>SQLite files in a fresh temporary directory, deleted at the end.</summary>
internal sealed class SqliteBenchBackend : IBenchBackend
{
    private readonly SqliteCeiling _ceiling;
    private bool _ceilingPrepared;

    public SqliteBenchBackend()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"edgecloud-bench-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        System.IO.Directory.CreateDirectory(Directory);
        _ceiling = new SqliteCeiling(Path.Combine(Directory, "ceiling.db"));
    }

    public string Name => "sqlite";

    public string Directory { get; }

    public async Task<string> DescribeVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync(cancellationToken);
        return $"SQLite {connection.ServerVersion}";
    }

    public Task<string> DescribeCeilingAsync(CancellationToken cancellationToken) =>
        Task.FromResult("Microsoft.Data.Sqlite loop in-process (WAL, synchronous=FULL, autocommit)");

    public Task<RevisionedStore> OpenStoreAsync(string scenario, RevisionedStoreOptions options, CancellationToken cancellationToken) =>
        RevisionedStore.OpenSqliteAsync(StorePath(scenario), SqliteSynchronous.Full, options, null, cancellationToken);

    public async Task<CeilingMeasurement> MeasureCeilingAsync(WriteWorkload workload, int writers, StoreBenchSettings settings, CancellationToken cancellationToken)
    {
        if (!_ceilingPrepared)
        {
            await _ceiling.PrepareAsync(settings.WriterCounts.Max(), settings.KeysPerUpdateWriter, settings.ValueBytes, cancellationToken);
            _ceilingPrepared = true;
        }

        return await _ceiling.MeasureAsync(workload, writers, settings, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, long>> DescribeStorageAsync(string scenario, CancellationToken cancellationToken)
    {
        var path = StorePath(scenario);
        var storage = new Dictionary<string, long>
        {
            ["fileBytes"] = FileLength(path),
            ["walBytes"] = FileLength(path + "-wal"),
        };
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT count(*) FROM edgecloud_log), (SELECT count(*) FROM edgecloud_kv),
                   (SELECT page_count FROM pragma_page_count()), (SELECT freelist_count FROM pragma_freelist_count()),
                   (SELECT page_size FROM pragma_page_size())
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        storage["historyRows"] = reader.GetInt64(0);
        storage["liveRows"] = reader.GetInt64(1);
        storage["pages"] = reader.GetInt64(2);
        storage["freePages"] = reader.GetInt64(3);
        storage["pageBytes"] = reader.GetInt64(4);
        return storage;
    }

    public string? SharedConnectionString(string scenario) => null;

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"could not delete {Directory}: {ex.Message}");
        }

        return ValueTask.CompletedTask;
    }

    private string StorePath(string scenario) => Path.Combine(Directory, $"{scenario}.db");

    private static long FileLength(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
