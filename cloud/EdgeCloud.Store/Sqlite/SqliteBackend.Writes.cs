using EdgeCloud.Store.Writes;
using Microsoft.Data.Sqlite;

namespace EdgeCloud.Store.Sqlite;

/// <summary>The write path: a batch of operations applied in one IMMEDIATE transaction on the writer connection.</summary>
internal sealed partial class SqliteBackend
{
    private SqliteCommand? _selectHead;
    private SqliteCommand? _selectCurrent;
    private SqliteCommand? _insertKv;
    private SqliteCommand? _updateKv;
    private SqliteCommand? _deleteKv;
    private SqliteCommand? _insertLog;
    private SqliteCommand? _updateHead;

    public async Task<IReadOnlyList<WriteOutcome>> ApplyAsync(IReadOnlyList<WriteOperation> operations, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = Writer.BeginTransaction(deferred: false);
            foreach (var command in WriteCommands)
            {
                command.Transaction = transaction;
            }

            var heads = new Dictionary<string, ClusterHead>(StringComparer.Ordinal);
            var outcomes = new WriteOutcome[operations.Count];
            for (var i = 0; i < operations.Count; i++)
            {
                outcomes[i] = Apply(operations[i], heads);
            }

            foreach (var (clusterId, head) in heads)
            {
                if (head.Changed)
                {
                    _updateHead!.Parameters["$id"].Value = clusterId;
                    _updateHead.Parameters["$revision"].Value = head.Revision;
                    _updateHead.ExecuteNonQuery();
                }
            }

            transaction.Commit();
            return outcomes;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private WriteOutcome Apply(WriteOperation op, Dictionary<string, ClusterHead> heads)
    {
        if (!heads.TryGetValue(op.ClusterId, out var head))
        {
            _selectHead!.Parameters["$id"].Value = op.ClusterId;
            using (var reader = _selectHead.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return WriteOutcome.ClusterMissing;
                }

                head = new ClusterHead(reader.GetInt64(0), reader.GetInt64(1), false);
            }

            heads[op.ClusterId] = head;
        }

        var current = ReadCurrent(op.ClusterId, op.Key);
        if (WriteRules.Refusal(op, current, head.Revision) is { } refused)
        {
            return new WriteOutcome(refused);
        }

        var revision = head.Revision + 1;
        heads[op.ClusterId] = head with { Revision = revision, Changed = true };
        // The replaced version's own history row serves as the previous value, unless compaction may remove it.
        var prevValue = current is not null && current.ModRevision <= head.CompactRevision ? current.Value.ToArray() : null;
        var value = op.Value.ToArray();
        switch (op.Kind)
        {
            case WriteKind.Create:
                Run(_insertKv!, ("$id", op.ClusterId), ("$key", op.Key), ("$create", revision), ("$mod", revision), ("$expires", (object?)op.ExpiresAtMs ?? DBNull.Value), ("$value", value));
                AppendLog(op, revision, revision, 0, value, null);
                break;
            case WriteKind.Update:
                Run(_updateKv!, ("$id", op.ClusterId), ("$key", op.Key), ("$mod", revision), ("$expires", (object?)op.ExpiresAtMs ?? DBNull.Value), ("$value", value));
                AppendLog(op, revision, current!.CreateRevision, current.ModRevision, value, prevValue);
                break;
            case WriteKind.Delete:
                Run(_deleteKv!, ("$id", op.ClusterId), ("$key", op.Key));
                AppendLog(op, revision, current!.CreateRevision, current.ModRevision, null, prevValue);
                break;
        }

        return new WriteOutcome(WriteRules.Applied(op, current, revision));
    }

    private KeyValue? ReadCurrent(string clusterId, string key)
    {
        _selectCurrent!.Parameters["$id"].Value = clusterId;
        _selectCurrent.Parameters["$key"].Value = key;
        using var reader = _selectCurrent.ExecuteReader();
        return reader.Read() ? KeyValueRows.Read(reader, key, 0) : null;
    }

    private void AppendLog(WriteOperation op, long revision, long createRevision, long prevModRevision, byte[]? value, byte[]? prevValue) =>
        Run(_insertLog!,
            ("$id", op.ClusterId), ("$revision", revision), ("$key", op.Key), ("$type", (short)op.Kind),
            ("$create", createRevision), ("$prevMod", prevModRevision), ("$now", op.NowMs),
            ("$value", (object?)value ?? DBNull.Value), ("$prevValue", (object?)prevValue ?? DBNull.Value));

    private static void Run(SqliteCommand command, params ReadOnlySpan<(string Name, object Value)> values)
    {
        foreach (var (name, value) in values)
        {
            command.Parameters[name].Value = value;
        }

        command.ExecuteNonQuery();
    }

    private IEnumerable<SqliteCommand> WriteCommands =>
        [_selectHead!, _selectCurrent!, _insertKv!, _updateKv!, _deleteKv!, _insertLog!, _updateHead!];

    private void PrepareWriteCommands(SqliteConnection writer)
    {
        _selectHead = Command(writer, "SELECT revision, compact_revision FROM edgecloud_clusters WHERE id = $id", "$id");
        _selectCurrent = Command(writer, "SELECT create_revision, mod_revision, expires_at, value FROM edgecloud_kv WHERE cluster_id = $id AND key = $key", "$id", "$key");
        _insertKv = Command(writer,
            "INSERT INTO edgecloud_kv (cluster_id, key, create_revision, mod_revision, expires_at, value) VALUES ($id, $key, $create, $mod, $expires, $value)",
            "$id", "$key", "$create", "$mod", "$expires", "$value");
        _updateKv = Command(writer,
            "UPDATE edgecloud_kv SET mod_revision = $mod, expires_at = $expires, value = $value WHERE cluster_id = $id AND key = $key",
            "$id", "$key", "$mod", "$expires", "$value");
        _deleteKv = Command(writer, "DELETE FROM edgecloud_kv WHERE cluster_id = $id AND key = $key", "$id", "$key");
        _insertLog = Command(writer,
            "INSERT INTO edgecloud_log (cluster_id, revision, key, type, create_revision, prev_mod_revision, created_at, value, prev_value) " +
            "VALUES ($id, $revision, $key, $type, $create, $prevMod, $now, $value, $prevValue)",
            "$id", "$revision", "$key", "$type", "$create", "$prevMod", "$now", "$value", "$prevValue");
        _updateHead = Command(writer, "UPDATE edgecloud_clusters SET revision = $revision WHERE id = $id", "$id", "$revision");
    }

    private void DisposeWriteCommands()
    {
        if (_selectHead is null)
        {
            return;
        }

        foreach (var command in WriteCommands)
        {
            command.Dispose();
        }

        _selectHead = null;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    /// <summary>A cluster's revision row as the current transaction sees it.</summary>
    private readonly record struct ClusterHead(long Revision, long CompactRevision, bool Changed);
}
