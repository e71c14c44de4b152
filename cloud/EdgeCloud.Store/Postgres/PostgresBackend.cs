using System.Data;
using System.Runtime.InteropServices;
using EdgeCloud.Store.Maintenance;
using EdgeCloud.Store.Writes;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace EdgeCloud.Store.Postgres;

/// <summary>
/// The HA backend: PostgreSQL shared by any number of server processes. Each batch of writes of one cluster
/// is one <c>edgecloud_apply_batch</c> call (one transaction, one round trip) whose NOTIFY the other
/// processes' <see cref="PostgresChangeListener"/> turns into watch wake-ups.
/// </summary>
internal sealed class PostgresBackend : IStoreBackend
{
    public const string ChangeChannel = "edgecloud_changes";

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresChangeListener _listener;

    public PostgresBackend(string connectionString, ILogger logger)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _listener = new PostgresChangeListener(connectionString, logger);
    }

    public string Name => "postgres";

    public bool ParallelClusterWrites => true;

    public event Action<string, long>? ExternalChange
    {
        add => _listener.Changed += value;
        remove => _listener.Changed -= value;
    }

    public event Action? ExternalChangesMissed
    {
        add => _listener.Reconnected += value;
        remove => _listener.Reconnected -= value;
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            // Several replicas may start at once against an empty database: create the schema one at a time.
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(7431002)", connection, transaction))
            {
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var schema = new NpgsqlCommand(SchemaScript.Load("Postgres"), connection, transaction))
            {
                await schema.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await _listener.StartAsync(cancellationToken);
    }

    public async Task<bool> CreateClusterAsync(string clusterId, long nowMs, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "INSERT INTO edgecloud_clusters (id, revision, compact_revision, created_at) VALUES ($1, 0, 0, $2) ON CONFLICT (id) DO NOTHING");
        command.Parameters.Add(new() { Value = clusterId });
        command.Parameters.Add(new() { Value = nowMs });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> DeleteClusterAsync(string clusterId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                // Lock the cluster row first, in the same order as writers, so that no write lands half-way.
                Batched("SELECT 1 FROM edgecloud_clusters WHERE id = $1 FOR UPDATE", clusterId),
                Batched("DELETE FROM edgecloud_kv WHERE cluster_id = $1", clusterId),
                Batched("DELETE FROM edgecloud_log WHERE cluster_id = $1", clusterId),
                Batched("DELETE FROM edgecloud_clusters WHERE id = $1", clusterId),
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        var deleted = batch.BatchCommands[3].RecordsAffected == 1;
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    public async Task<long?> GetRevisionAsync(string clusterId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT revision FROM edgecloud_clusters WHERE id = $1");
        command.Parameters.Add(new() { Value = clusterId });
        return await command.ExecuteScalarAsync(cancellationToken) is long revision ? revision : null;
    }

    public async Task<long?> CountAsync(string clusterId, string from, string to, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM edgecloud_kv WHERE cluster_id = c.id AND key >= $2 AND key < $3)
              FROM edgecloud_clusters c WHERE c.id = $1
            """);
        command.Parameters.Add(new() { Value = clusterId });
        command.Parameters.Add(new() { Value = from });
        command.Parameters.Add(new() { Value = to });
        return await command.ExecuteScalarAsync(cancellationToken) is long count ? count : null;
    }

    public async Task<GetResult?> GetAsync(string clusterId, string key, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT c.revision, k.create_revision, k.mod_revision, k.expires_at, k.value
              FROM edgecloud_clusters c
              LEFT JOIN edgecloud_kv k ON k.cluster_id = c.id AND k.key = $2
             WHERE c.id = $1
            """);
        command.Parameters.Add(new() { Value = clusterId });
        command.Parameters.Add(new() { Value = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var item = reader.IsDBNull(1) ? null : KeyValueRows.Read(reader, key, 1);
        return new GetResult { Item = item, Revision = reader.GetInt64(0) };
    }

    public async Task<(ListResult Page, bool More)?> ListAsync(string clusterId, string from, string to, string after, long revision, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for the revision bounds and the rows.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        if (await ReadBoundsAsync(connection, transaction, clusterId, cancellationToken) is not var (head, compact))
        {
            return null;
        }

        var at = RevisionRules.ResolveReadRevision(revision, head, compact);
        // See the SQLite backend for the shape: live rows unchanged since `at`, plus keys rebuilt from the
        // first change after `at` and the version it replaced. DISTINCT ON picks that first change per key.
        var sql = at == head
            ? """
              SELECT key, create_revision, mod_revision, expires_at, value FROM edgecloud_kv
               WHERE cluster_id = $1 AND key >= $2 AND key < $3 AND key > $4
               ORDER BY key LIMIT $6
              """
            : """
              SELECT key, create_revision, mod_revision, expires_at, value FROM (
                  SELECT key, value, create_revision, mod_revision, expires_at FROM edgecloud_kv
                   WHERE cluster_id = $1 AND key >= $2 AND key < $3 AND key > $4 AND mod_revision <= $5
                  UNION ALL
                  SELECT f.key, COALESCE(f.prev_value, p.value), f.create_revision, f.prev_mod_revision, NULL::bigint FROM (
                      SELECT DISTINCT ON (key) key, prev_value, create_revision, prev_mod_revision FROM edgecloud_log
                       WHERE cluster_id = $1 AND revision > $5 AND key >= $2 AND key < $3 AND key > $4
                       ORDER BY key, revision) f
                    LEFT JOIN edgecloud_log p ON p.cluster_id = $1 AND p.revision = f.prev_mod_revision AND f.prev_value IS NULL
                   WHERE f.prev_mod_revision > 0) snapshot
               ORDER BY key LIMIT $6
              """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new() { Value = clusterId });
        command.Parameters.Add(new() { Value = from });
        command.Parameters.Add(new() { Value = to });
        command.Parameters.Add(new() { Value = after });
        command.Parameters.Add(new() { Value = at });
        command.Parameters.Add(new() { Value = limit == 0 ? (object)DBNull.Value : (long)limit + 1, NpgsqlDbType = NpgsqlDbType.Bigint });
        (ListResult Page, bool More) page;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            page = await KeyValueRows.ReadPageAsync(reader, limit, at, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return page;
    }

    public async Task<LogPage?> ReadLogAsync(string clusterId, long afterRevision, int limit, CancellationToken cancellationToken)
    {
        // One statement, hence one snapshot, for the bounds and the history rows.
        await using var command = _dataSource.CreateCommand("""
            SELECT c.revision, c.compact_revision, l.revision, l.key, l.type, l.create_revision, l.prev_mod_revision, l.value,
                   COALESCE(l.prev_value, p.value), l.prev_value IS NULL AND p.revision IS NULL
              FROM edgecloud_clusters c
              LEFT JOIN LATERAL (
                  SELECT * FROM edgecloud_log l WHERE l.cluster_id = c.id AND l.revision > $2 ORDER BY l.revision LIMIT $3) l ON true
              LEFT JOIN edgecloud_log p ON p.cluster_id = c.id AND p.revision = l.prev_mod_revision AND l.prev_value IS NULL
             WHERE c.id = $1
             ORDER BY l.revision
            """);
        command.Parameters.Add(new() { Value = clusterId });
        command.Parameters.Add(new() { Value = afterRevision });
        command.Parameters.Add(new() { Value = (long)limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long? head = null;
        long compact = 0;
        var events = new List<WatchEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            head = reader.GetInt64(0);
            compact = reader.GetInt64(1);
            if (reader.IsDBNull(2))
            {
                continue;
            }

            events.Add(HistoryRow.ToEvent(
                revision: reader.GetInt64(2),
                key: reader.GetString(3),
                type: reader.GetInt16(4),
                createRevision: reader.GetInt64(5),
                prevModRevision: reader.GetInt64(6),
                value: reader.IsDBNull(7) ? null : reader.GetFieldValue<byte[]>(7),
                prevValue: reader.IsDBNull(8) ? null : reader.GetFieldValue<byte[]>(8),
                prevMissing: reader.GetBoolean(9) && reader.GetInt64(2) > compact));
        }

        return head is { } h ? new LogPage { Events = events, HeadRevision = h, CompactRevision = compact } : null;
    }

    public async Task<IReadOnlyList<WriteOutcome>> ApplyAsync(IReadOnlyList<WriteOperation> operations, CancellationToken cancellationToken)
    {
        // One edgecloud_apply_batch call per cluster: it locks the cluster row once, applies the writes in order,
        // moves the head once and sends the change notice. No explicit transaction: PostgreSQL runs the statements
        // of one extended-protocol pipeline (up to its Sync) as one implicit transaction, all or nothing, and
        // commits at the Sync. The whole batch, commit included, is one round trip; its results are read to
        // ReadyForQuery, i.e. past the commit, before anyone is answered.
        var groups = operations
            .Select(static (op, index) => (op, index))
            .GroupBy(static x => x.op.ClusterId, StringComparer.Ordinal)
            .Select(static g => g.ToArray())
            .ToArray();
        await using var batch = _dataSource.CreateBatch();
        foreach (var group in groups)
        {
            batch.BatchCommands.Add(ApplyBatchCommand(group.Select(static x => x.op).ToArray()));
        }

        var outcomes = new WriteOutcome[operations.Count];
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            for (var g = 0; g < groups.Length; g++)
            {
                if (g > 0)
                {
                    await reader.NextResultAsync(cancellationToken);
                }

                foreach (var (op, index) in groups[g])
                {
                    if (!await reader.ReadAsync(cancellationToken))
                    {
                        throw new InvalidDataException("edgecloud_apply_batch returned fewer rows than writes");
                    }

                    outcomes[index] = ReadOutcome(reader, op);
                }
            }

            // Drain to the commit: an error there fails the batch before any caller is answered.
            while (await reader.NextResultAsync(cancellationToken))
            {
            }
        }

        return outcomes;
    }

    private static NpgsqlBatchCommand ApplyBatchCommand(WriteOperation[] ops)
    {
        var command = new NpgsqlBatchCommand("SELECT * FROM edgecloud_apply_batch($1, $2, $3, $4, $5, $6, $7)");
        command.Parameters.Add(new() { Value = ops[0].ClusterId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = ops.Select(static o => (short)o.Kind).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        command.Parameters.Add(new() { Value = ops.Select(static o => o.Key).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = ops.Select(static o => o.Kind == WriteKind.Delete ? null : AsArray(o.Value)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new() { Value = ops.Select(static o => o.ExpectedModRevision).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = ops.Select(static o => o.ExpiresAtMs).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        // One clock reading per batch: the batch commits as one.
        command.Parameters.Add(new() { Value = ops[0].NowMs, NpgsqlDbType = NpgsqlDbType.Bigint });
        return command;
    }

    public async Task<IReadOnlyList<CompactionCandidate>> FindCompactionCandidatesAsync(long historyRevisions, long cutoffMs, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT id, revision, compact_revision, oldest FROM (
                SELECT c.id, c.revision, c.compact_revision,
                       (SELECT l.created_at FROM edgecloud_log l
                         WHERE l.cluster_id = c.id AND l.revision > c.compact_revision
                         ORDER BY l.revision LIMIT 1) AS oldest
                  FROM edgecloud_clusters c
                 WHERE c.revision > c.compact_revision) candidates
             WHERE revision - compact_revision > $1 OR oldest < $2
            """);
        command.Parameters.Add(new() { Value = historyRevisions });
        command.Parameters.Add(new() { Value = cutoffMs });
        var candidates = new List<CompactionCandidate>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            candidates.Add(new CompactionCandidate(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetInt64(3)));
        }

        return candidates;
    }

    public async Task<long?> NewestRevisionBeforeAsync(string clusterId, long afterRevision, long cutoffMs, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT revision FROM edgecloud_log
             WHERE cluster_id = $1 AND revision > $2 AND created_at < $3
             ORDER BY revision DESC LIMIT 1
            """);
        command.Parameters.Add(new() { Value = clusterId });
        command.Parameters.Add(new() { Value = afterRevision });
        command.Parameters.Add(new() { Value = cutoffMs });
        return await command.ExecuteScalarAsync(cancellationToken) is long revision ? revision : null;
    }

    public async Task<long> MarkCompactedAsync(string clusterId, long targetRevision, CancellationToken cancellationToken)
    {
        // The data-modifying CTE runs even though the SELECT does not read it.
        await using var command = _dataSource.CreateCommand("""
            WITH mark AS (
                UPDATE edgecloud_clusters SET compact_revision = GREATEST(compact_revision, $2) WHERE id = $1 RETURNING 1)
            SELECT MIN(revision) FROM edgecloud_log WHERE cluster_id = $1
            """);
        command.Parameters.Add(new() { Value = clusterId });
        command.Parameters.Add(new() { Value = targetRevision });
        return await command.ExecuteScalarAsync(cancellationToken) is long oldest ? Math.Min(oldest - 1, targetRevision) : targetRevision;
    }

    public async Task<(int Removed, long Through)> DeleteHistoryAsync(string clusterId, long afterRevision, long compactRevision, int maxRows, CancellationToken cancellationToken)
    {
        // One statement: find where this chunk of at most maxRows rows ends, then delete its rows that no change
        // above the compact mark still refers to for its previous value (see the schema). The referenced rows are
        // read from the retained window (revision > compact mark) once per chunk and probed as a hashed set, so the
        // cost is bounded by the window, not by all of history.
        await using var command = _dataSource.CreateCommand("""
            WITH bound AS (
                SELECT COALESCE((SELECT revision FROM edgecloud_log
                                  WHERE cluster_id = $1 AND revision > $2 AND revision <= $3
                                  ORDER BY revision OFFSET $4 - 1 LIMIT 1), $3) AS through),
            referenced AS MATERIALIZED (
                SELECT n.prev_mod_revision FROM edgecloud_log n, bound
                 WHERE n.cluster_id = $1 AND n.revision > $3 AND n.prev_value IS NULL
                   AND n.prev_mod_revision > $2 AND n.prev_mod_revision <= bound.through),
            gone AS (
                DELETE FROM edgecloud_log l USING bound
                 WHERE l.cluster_id = $1 AND l.revision > $2 AND l.revision <= bound.through
                   AND l.revision NOT IN (SELECT prev_mod_revision FROM referenced)
                RETURNING 1)
            SELECT (SELECT through FROM bound), (SELECT count(*) FROM gone)
            """);
        command.Parameters.Add(new() { Value = clusterId });
        command.Parameters.Add(new() { Value = afterRevision });
        command.Parameters.Add(new() { Value = compactRevision });
        command.Parameters.Add(new() { Value = (long)maxRows });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ((int)reader.GetInt64(1), reader.GetInt64(0));
    }

    public async Task ReclaimSpaceAsync(CancellationToken cancellationToken)
    {
        // Plain VACUUM takes no lock that blocks writers; it makes the space of compacted history reusable now
        // rather than whenever autovacuum's thresholds are next crossed, so churn reuses pages instead of growing.
        // Only the tables this churn dirties: history (bounded, so this stays cheap) and the cluster rows (one new
        // version per batch). The key table, which may be large, is left to autovacuum: its heartbeat updates are
        // HOT and pruned page by page without it.
        await using var command = _dataSource.CreateCommand("VACUUM (SKIP_LOCKED) edgecloud_log, edgecloud_clusters");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long?> NextExpiryAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT MIN(expires_at) FROM edgecloud_kv WHERE expires_at IS NOT NULL");
        return await command.ExecuteScalarAsync(cancellationToken) is long at ? at : null;
    }

    public async Task<IReadOnlyList<(string ClusterId, string Key, long ModRevision)>> FindExpiredAsync(long nowMs, int limit, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT cluster_id, key, mod_revision FROM edgecloud_kv
             WHERE expires_at IS NOT NULL AND expires_at <= $1 ORDER BY expires_at LIMIT $2
            """);
        command.Parameters.Add(new() { Value = nowMs });
        command.Parameters.Add(new() { Value = (long)limit });
        var expired = new List<(string, string, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            expired.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return expired;
    }

    public async Task<long> GetSizeBytesAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT pg_total_relation_size('edgecloud_kv') + pg_total_relation_size('edgecloud_log') + pg_total_relation_size('edgecloud_clusters')");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    private static WriteOutcome ReadOutcome(NpgsqlDataReader reader, WriteOperation op)
    {
        var status = reader.GetInt16(0);
        if (status == 4)
        {
            return WriteOutcome.ClusterMissing;
        }

        var revision = reader.GetInt64(1);
        KeyValue? Stored() => new()
        {
            Key = op.Key,
            CreateRevision = reader.GetInt64(2),
            ModRevision = reader.GetInt64(3),
            Value = reader.GetFieldValue<byte[]>(4),
            ExpiresAt = ReadExpiry(reader, 5),
        };

        return new WriteOutcome(status switch
        {
            0 when op.Kind == WriteKind.Delete => new WriteResult { Status = WriteStatus.Applied, Revision = revision, Item = Stored() },
            0 => WriteRules.Applied(op, op.Kind == WriteKind.Create ? null : new KeyValue
            {
                Key = op.Key,
                Value = ReadOnlyMemory<byte>.Empty,
                CreateRevision = reader.GetInt64(2),
                ModRevision = 0,
            }, revision),
            1 => new WriteResult { Status = WriteStatus.AlreadyExists, Revision = revision, Item = Stored() },
            2 => new WriteResult { Status = WriteStatus.NotFound, Revision = revision },
            3 => new WriteResult { Status = WriteStatus.Conflict, Revision = revision, Item = Stored() },
            _ => throw new InvalidDataException($"edgecloud_apply returned unknown status {status}"),
        });
    }

    /// <summary>The value's own array when it spans all of one (no copy), otherwise a copy.</summary>
    private static byte[] AsArray(ReadOnlyMemory<byte> value) =>
        MemoryMarshal.TryGetArray(value, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : value.ToArray();

    private static DateTimeOffset? ReadExpiry(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private static NpgsqlBatchCommand Batched(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private static async Task<(long Head, long Compact)?> ReadBoundsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string clusterId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT revision, compact_revision FROM edgecloud_clusters WHERE id = $1", connection, transaction);
        command.Parameters.Add(new() { Value = clusterId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
    }
}
