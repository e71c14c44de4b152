using EdgeCloud.Store.Maintenance;
using Microsoft.Data.Sqlite;

namespace EdgeCloud.Store.Sqlite;

/// <summary>
/// The embedded backend: one SQLite file in WAL mode, owned by one process (enforced with a lock file).
/// All writes go through one connection, one transaction at a time; reads use pooled connections and see
/// a consistent snapshot per transaction, which WAL lets run beside the writer.
/// </summary>
internal sealed partial class SqliteBackend : IStoreBackend
{
    private readonly string _path;
    private readonly SqliteSynchronous _synchronous;
    private readonly string _readConnectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private SqliteConnection? _writer;
    private FileStream? _lockFile;

    public SqliteBackend(string path, SqliteSynchronous synchronous)
    {
        _path = Path.GetFullPath(path);
        _synchronous = synchronous;
        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Name => "sqlite";

    public bool ParallelClusterWrites => false;

    // A SQLite file has one writer process, so there are no external changes.
    public event Action<string, long>? ExternalChange
    {
        add { }
        remove { }
    }

    public event Action? ExternalChangesMissed
    {
        add { }
        remove { }
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        try
        {
            // Two processes writing one file would each miss the other's watch events: refuse the second.
            _lockFile = new FileStream(_path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"the SQLite datastore {_path} is in use by another process; stop it, or use PostgreSQL to run several servers", ex);
        }

        _writer = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        await _writer.OpenAsync(cancellationToken);
        var synchronous = _synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL";
        // auto_vacuum must be chosen before the first table exists; it lets compaction hand space back to the file system.
        await ExecuteAsync(_writer, $"""
            PRAGMA auto_vacuum = INCREMENTAL;
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = {synchronous};
            PRAGMA busy_timeout = 10000;
            PRAGMA journal_size_limit = 67108864;
            PRAGMA foreign_keys = OFF;
            """, cancellationToken);
        await ExecuteAsync(_writer, SchemaScript.Load("Sqlite"), cancellationToken);
        PrepareWriteCommands(_writer);
    }

    public async Task<bool> CreateClusterAsync(string clusterId, long nowMs, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            using var command = Writer.CreateCommand();
            command.CommandText = "INSERT INTO edgecloud_clusters (id, revision, compact_revision, created_at) VALUES ($id, 0, 0, $now) ON CONFLICT (id) DO NOTHING";
            command.Parameters.AddWithValue("$id", clusterId);
            command.Parameters.AddWithValue("$now", nowMs);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<bool> DeleteClusterAsync(string clusterId, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = Writer.BeginTransaction();
            using var command = Writer.CreateCommand();
            command.Transaction = transaction;
            command.Parameters.AddWithValue("$id", clusterId);
            command.CommandText = "DELETE FROM edgecloud_kv WHERE cluster_id = $id; DELETE FROM edgecloud_log WHERE cluster_id = $id;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            command.CommandText = "DELETE FROM edgecloud_clusters WHERE id = $id";
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            transaction.Commit();
            return deleted;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<long?> GetRevisionAsync(string clusterId, CancellationToken cancellationToken)
    {
        using var connection = await OpenReaderAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT revision FROM edgecloud_clusters WHERE id = $id";
        command.Parameters.AddWithValue("$id", clusterId);
        return await command.ExecuteScalarAsync(cancellationToken) is long revision ? revision : null;
    }

    public async Task<long?> CountAsync(string clusterId, string from, string to, CancellationToken cancellationToken)
    {
        using var connection = await OpenReaderAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT count(*) FROM edgecloud_kv WHERE cluster_id = c.id AND key >= $from AND key < $to)
              FROM edgecloud_clusters c WHERE c.id = $id
            """;
        command.Parameters.AddWithValue("$id", clusterId);
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
        return await command.ExecuteScalarAsync(cancellationToken) is long count ? count : null;
    }

    public async Task<GetResult?> GetAsync(string clusterId, string key, CancellationToken cancellationToken)
    {
        using var connection = await OpenReaderAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.revision, k.create_revision, k.mod_revision, k.expires_at, k.value
              FROM edgecloud_clusters c
              LEFT JOIN edgecloud_kv k ON k.cluster_id = c.id AND k.key = $key
             WHERE c.id = $id
            """;
        command.Parameters.AddWithValue("$id", clusterId);
        command.Parameters.AddWithValue("$key", key);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var item = reader.IsDBNull(1) ? null : KeyValueRows.Read(reader, key, 1);
        return new GetResult { Item = item, Revision = reader.GetInt64(0) };
    }

    public async Task<(ListResult Page, bool More)?> ListAsync(string clusterId, string from, string to, string after, long revision, int limit, CancellationToken cancellationToken)
    {
        using var connection = await OpenReaderAsync(cancellationToken);
        using var transaction = connection.BeginTransaction(deferred: true);
        var bounds = await ReadBoundsAsync(connection, transaction, clusterId, cancellationToken);
        if (bounds is not var (head, compact))
        {
            return null;
        }

        var at = RevisionRules.ResolveReadRevision(revision, head, compact);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // The first part reads keys unchanged since `at` from the live table; the second rebuilds keys changed
        // since then from the first change after `at`: the version it replaced was current at `at`.
        // SQLite returns the other columns of the row holding MIN(revision) in a GROUP BY (documented behaviour).
        command.CommandText = at == head
            ? """
              SELECT key, create_revision, mod_revision, expires_at, value FROM edgecloud_kv
               WHERE cluster_id = $id AND key >= $from AND key < $to AND key > $after
               ORDER BY key LIMIT $limit
              """
            : """
              SELECT key, create_revision, mod_revision, expires_at, value FROM (
                  SELECT key, value, create_revision, mod_revision, expires_at FROM edgecloud_kv
                   WHERE cluster_id = $id AND key >= $from AND key < $to AND key > $after AND mod_revision <= $at
                  UNION ALL
                  SELECT f.key, COALESCE(f.prev_value, p.value), f.create_revision, f.prev_mod_revision, NULL FROM (
                      SELECT key, prev_value, create_revision, prev_mod_revision, MIN(revision) FROM edgecloud_log
                       WHERE cluster_id = $id AND revision > $at AND key >= $from AND key < $to AND key > $after
                       GROUP BY key) f
                    LEFT JOIN edgecloud_log p ON p.cluster_id = $id AND p.revision = f.prev_mod_revision AND f.prev_value IS NULL
                   WHERE f.prev_mod_revision > 0)
               ORDER BY key LIMIT $limit
              """;
        command.Parameters.AddWithValue("$id", clusterId);
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$at", at);
        command.Parameters.AddWithValue("$limit", limit == 0 ? -1 : limit + 1);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await KeyValueRows.ReadPageAsync(reader, limit, at, cancellationToken);
    }

    public async Task<LogPage?> ReadLogAsync(string clusterId, long afterRevision, int limit, CancellationToken cancellationToken)
    {
        using var connection = await OpenReaderAsync(cancellationToken);
        using var transaction = connection.BeginTransaction(deferred: true);
        if (await ReadBoundsAsync(connection, transaction, clusterId, cancellationToken) is not var (head, compact))
        {
            return null;
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT l.revision, l.key, l.type, l.create_revision, l.prev_mod_revision, l.value,
                   COALESCE(l.prev_value, p.value), l.prev_value IS NULL AND p.revision IS NULL
              FROM edgecloud_log l
              LEFT JOIN edgecloud_log p ON p.cluster_id = l.cluster_id AND p.revision = l.prev_mod_revision AND l.prev_value IS NULL
             WHERE l.cluster_id = $id AND l.revision > $after ORDER BY l.revision LIMIT $limit
            """;
        command.Parameters.AddWithValue("$id", clusterId);
        command.Parameters.AddWithValue("$after", afterRevision);
        command.Parameters.AddWithValue("$limit", limit);
        var events = new List<WatchEvent>();
        using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(HistoryRow.ToEvent(
                    revision: reader.GetInt64(0),
                    key: reader.GetString(1),
                    type: reader.GetInt16(2),
                    createRevision: reader.GetInt64(3),
                    prevModRevision: reader.GetInt64(4),
                    value: reader.IsDBNull(5) ? null : (byte[])reader.GetValue(5),
                    prevValue: reader.IsDBNull(6) ? null : (byte[])reader.GetValue(6),
                    prevMissing: reader.GetBoolean(7) && reader.GetInt64(0) > compact));
            }
        }

        return new LogPage { Events = events, HeadRevision = head, CompactRevision = compact };
    }

    public async Task<IReadOnlyList<CompactionCandidate>> FindCompactionCandidatesAsync(long historyRevisions, long cutoffMs, CancellationToken cancellationToken)
    {
        using var connection = await OpenReaderAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, revision, compact_revision, oldest FROM (
                SELECT c.id, c.revision, c.compact_revision,
                       (SELECT l.created_at FROM edgecloud_log l
                         WHERE l.cluster_id = c.id AND l.revision > c.compact_revision
                         ORDER BY l.revision LIMIT 1) AS oldest
                  FROM edgecloud_clusters c
                 WHERE c.revision > c.compact_revision)
             WHERE revision - compact_revision > $history OR oldest < $cutoff
            """;
        command.Parameters.AddWithValue("$history", historyRevisions);
        command.Parameters.AddWithValue("$cutoff", cutoffMs);
        var candidates = new List<CompactionCandidate>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            candidates.Add(new CompactionCandidate(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetInt64(3)));
        }

        return candidates;
    }

    public async Task<long?> NewestRevisionBeforeAsync(string clusterId, long afterRevision, long cutoffMs, CancellationToken cancellationToken)
    {
        using var connection = await OpenReaderAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT revision FROM edgecloud_log
             WHERE cluster_id = $id AND revision > $after AND created_at < $cutoff
             ORDER BY revision DESC LIMIT 1
            """;
        command.Parameters.AddWithValue("$id", clusterId);
        command.Parameters.AddWithValue("$after", afterRevision);
        command.Parameters.AddWithValue("$cutoff", cutoffMs);
        return await command.ExecuteScalarAsync(cancellationToken) is long revision ? revision : null;
    }

    public async Task<long> MarkCompactedAsync(string clusterId, long targetRevision, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            using var command = Writer.CreateCommand();
            command.CommandText = """
                UPDATE edgecloud_clusters SET compact_revision = MAX(compact_revision, $target) WHERE id = $id;
                SELECT MIN(revision) FROM edgecloud_log WHERE cluster_id = $id;
                """;
            command.Parameters.AddWithValue("$id", clusterId);
            command.Parameters.AddWithValue("$target", targetRevision);
            return await command.ExecuteScalarAsync(cancellationToken) is long oldest ? Math.Min(oldest - 1, targetRevision) : targetRevision;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<(int Removed, long Through)> DeleteHistoryAsync(string clusterId, long afterRevision, long compactRevision, int maxRows, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = Writer.BeginTransaction(deferred: false);
            using var command = Writer.CreateCommand();
            command.Transaction = transaction;
            command.Parameters.AddWithValue("$id", clusterId);
            command.Parameters.AddWithValue("$after", afterRevision);
            command.Parameters.AddWithValue("$compact", compactRevision);
            command.Parameters.AddWithValue("$offset", maxRows - 1);
            command.CommandText = """
                SELECT revision FROM edgecloud_log
                 WHERE cluster_id = $id AND revision > $after AND revision <= $compact
                 ORDER BY revision LIMIT 1 OFFSET $offset
                """;
            var through = await command.ExecuteScalarAsync(cancellationToken) is long end ? end : compactRevision;
            // Keep a row that a change above the compact mark refers to for its previous value (see the schema).
            command.CommandText = """
                DELETE FROM edgecloud_log
                 WHERE cluster_id = $id AND revision > $after AND revision <= $through
                   AND NOT EXISTS (
                       SELECT 1 FROM (
                           SELECT n.revision, n.prev_mod_revision, n.prev_value FROM edgecloud_log n
                            WHERE n.cluster_id = $id AND n.key = edgecloud_log.key AND n.revision > edgecloud_log.revision
                            ORDER BY n.key, n.revision LIMIT 1) next_version
                        WHERE next_version.revision > $compact AND next_version.prev_mod_revision = edgecloud_log.revision AND next_version.prev_value IS NULL)
                """;
            command.Parameters.AddWithValue("$through", through);
            var removed = await command.ExecuteNonQueryAsync(cancellationToken);
            transaction.Commit();
            return (removed, through);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task ReclaimSpaceAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            // Return a bounded number of free pages per pass (4 KiB each), then copy the WAL into the database and
            // truncate it: without this a WAL grows for as long as readers keep checkpoints from finishing
            // (k3s-io/k3s#5033). Runs once per compaction pass that removed history; readers are short.
            await ExecuteAsync(Writer, "PRAGMA incremental_vacuum(4096); PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<long?> NextExpiryAsync(CancellationToken cancellationToken)
    {
        using var connection = await OpenReaderAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(expires_at) FROM edgecloud_kv WHERE expires_at IS NOT NULL";
        return await command.ExecuteScalarAsync(cancellationToken) is long at ? at : null;
    }

    public async Task<IReadOnlyList<(string ClusterId, string Key, long ModRevision)>> FindExpiredAsync(long nowMs, int limit, CancellationToken cancellationToken)
    {
        using var connection = await OpenReaderAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT cluster_id, key, mod_revision FROM edgecloud_kv
             WHERE expires_at IS NOT NULL AND expires_at <= $now ORDER BY expires_at LIMIT $limit
            """;
        command.Parameters.AddWithValue("$now", nowMs);
        command.Parameters.AddWithValue("$limit", limit);
        var expired = new List<(string, string, long)>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            expired.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return expired;
    }

    public Task<long> GetSizeBytesAsync(CancellationToken cancellationToken)
    {
        long size = 0;
        foreach (var file in new[] { _path, _path + "-wal" })
        {
            var info = new FileInfo(file);
            size += info.Exists ? info.Length : 0;
        }

        return Task.FromResult(size);
    }

    public async ValueTask DisposeAsync()
    {
        await _writeGate.WaitAsync();
        try
        {
            DisposeWriteCommands();
            if (_writer is not null)
            {
                await _writer.DisposeAsync();
                _writer = null;
            }

            SqliteConnection.ClearPool(new SqliteConnection(_readConnectionString));
            if (_lockFile is not null)
            {
                await _lockFile.DisposeAsync();
                _lockFile = null;
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private SqliteConnection Writer => _writer ?? throw new ObjectDisposedException(nameof(SqliteBackend));

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task<(long Head, long Compact)?> ReadBoundsAsync(SqliteConnection connection, SqliteTransaction transaction, string clusterId, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT revision, compact_revision FROM edgecloud_clusters WHERE id = $id";
        command.Parameters.AddWithValue("$id", clusterId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
