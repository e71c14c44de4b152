using EdgeCloud.Store.Maintenance;
using EdgeCloud.Store.Postgres;
using EdgeCloud.Store.Sqlite;
using EdgeCloud.Store.Watch;
using EdgeCloud.Store.Writes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Store;

/// <summary>
/// The revisioned store over SQLite (embedded, one process) or PostgreSQL (shared by many server processes).
/// Open one with <see cref="OpenSqliteAsync"/> or <see cref="OpenPostgresAsync"/>.
/// </summary>
public sealed class RevisionedStore : IRevisionedStore
{
    private readonly IStoreBackend _backend;
    private readonly RevisionedStoreOptions _options;
    private readonly WriteBatcher _writes;
    private readonly WatchHub _watches;
    private readonly HistoryCompactor _compactor;
    private readonly ExpirySweeper _sweeper;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _background = [];

    private RevisionedStore(IStoreBackend backend, RevisionedStoreOptions options, ILoggerFactory loggerFactory)
    {
        _backend = backend;
        _options = options;
        var logger = loggerFactory.CreateLogger<RevisionedStore>();
        _writes = new WriteBatcher(backend.ApplyAsync, OnCommitted, backend.ParallelClusterWrites, options.MaxWriteBatch, logger);
        _watches = new WatchHub(backend, options, logger);
        _compactor = new HistoryCompactor(backend, options, logger);
        _sweeper = new ExpirySweeper(backend, DeleteExpiredAsync, options, logger);
        backend.ExternalChange += _watches.Signal;
        backend.ExternalChangesMissed += _watches.SignalAll;
    }

    /// <summary>"sqlite" or "postgres".</summary>
    public string BackendName => _backend.Name;

    /// <summary>Opens (creating if needed) a SQLite database file in WAL mode. Only one process may open a file.</summary>
    public static async Task<RevisionedStore> OpenSqliteAsync(
        string path,
        SqliteSynchronous synchronous = SqliteSynchronous.Full,
        RevisionedStoreOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return await OpenAsync(new SqliteBackend(path, synchronous), options, loggerFactory, cancellationToken);
    }

    /// <summary>Opens a PostgreSQL database (an Npgsql connection string or a postgres:// URL), creating the schema if needed.</summary>
    public static async Task<RevisionedStore> OpenPostgresAsync(
        string connectionString,
        RevisionedStoreOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        loggerFactory ??= NullLoggerFactory.Instance;
        var backend = new PostgresBackend(PostgresConnectionString.Normalize(connectionString), loggerFactory.CreateLogger<PostgresBackend>());
        return await OpenAsync(backend, options, loggerFactory, cancellationToken);
    }

    private static async Task<RevisionedStore> OpenAsync(IStoreBackend backend, RevisionedStoreOptions? options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        options ??= new RevisionedStoreOptions();
        options.Validate();
        try
        {
            await backend.InitializeAsync(cancellationToken);
        }
        catch
        {
            await backend.DisposeAsync();
            throw;
        }

        var store = new RevisionedStore(backend, options, loggerFactory ?? NullLoggerFactory.Instance);
        if (options.RunMaintenance)
        {
            // Called directly, not through Task.Run: the compaction timer then exists on the store's clock when the
            // open returns (the loop only waits after that), so time advanced right after an open is never missed.
            store._background.Add(store._compactor.RunAsync(store._stopping.Token));
            store._background.Add(Task.Run(() => store._sweeper.RunAsync(store._stopping.Token), CancellationToken.None));
        }

        return store;
    }

    /// <inheritdoc />
    public Task<bool> CreateClusterAsync(string clusterId, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateClusterId(clusterId);
        return _backend.CreateClusterAsync(clusterId, NowMs(), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteClusterAsync(string clusterId, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateClusterId(clusterId);
        var deleted = await _backend.DeleteClusterAsync(clusterId, cancellationToken);
        _watches.TerminateCluster(clusterId, $"cluster \"{clusterId}\" was deleted");
        _compactor.Forget(clusterId);
        return deleted;
    }

    /// <inheritdoc />
    public async Task<bool> ClusterExistsAsync(string clusterId, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateClusterId(clusterId);
        return await _backend.GetRevisionAsync(clusterId, cancellationToken) is not null;
    }

    /// <inheritdoc />
    public async Task<long> GetRevisionAsync(string clusterId, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateClusterId(clusterId);
        return await _backend.GetRevisionAsync(clusterId, cancellationToken) ?? throw new ClusterNotFoundException(clusterId);
    }

    /// <inheritdoc />
    public async Task<GetResult> GetAsync(string clusterId, string key, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateClusterId(clusterId);
        StoreKeys.ValidateKey(key, _options.MaxKeyBytes);
        return await _backend.GetAsync(clusterId, key, cancellationToken) ?? throw new ClusterNotFoundException(clusterId);
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(string clusterId, string prefix, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateClusterId(clusterId);
        return await _backend.CountAsync(clusterId, prefix, StoreKeys.PrefixEnd(prefix), cancellationToken) ?? throw new ClusterNotFoundException(clusterId);
    }

    /// <inheritdoc />
    public async Task<ListResult> ListAsync(string clusterId, ListRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        StoreKeys.ValidateClusterId(clusterId);
        StoreKeys.ValidatePrefix(request.Prefix, _options.MaxKeyBytes);
        if (request.Limit < 0)
        {
            throw new InvalidStoreRequestException("limit", "must be 0 (no limit) or positive");
        }

        if (request.Revision < 0)
        {
            throw new InvalidStoreRequestException("revision", "must be 0 (latest) or positive");
        }

        var revision = request.Revision;
        var after = string.Empty;
        if (request.Continue is { } token)
        {
            var continuation = ListContinuation.Decode(token, request.Prefix);
            revision = continuation.Revision;
            after = continuation.LastKey;
        }

        var answer = await _backend.ListAsync(clusterId, request.Prefix, StoreKeys.PrefixEnd(request.Prefix), after, revision, request.Limit, cancellationToken)
            ?? throw new ClusterNotFoundException(clusterId);
        var (page, more) = answer;
        return more
            ? page with { Continue = new ListContinuation(page.Revision, page.Items[^1].Key).Encode() }
            : page;
    }

    /// <inheritdoc />
    public Task<WriteResult> CreateAsync(string clusterId, string key, ReadOnlyMemory<byte> value, TimeSpan? ttl = null, CancellationToken cancellationToken = default) =>
        WriteAsync(WriteKind.Create, clusterId, key, value, 0, ttl, cancellationToken);

    /// <inheritdoc />
    public Task<WriteResult> UpdateAsync(string clusterId, string key, ReadOnlyMemory<byte> value, long expectedModRevision, TimeSpan? ttl = null, CancellationToken cancellationToken = default) =>
        WriteAsync(WriteKind.Update, clusterId, key, value, expectedModRevision, ttl, cancellationToken);

    /// <inheritdoc />
    public Task<WriteResult> DeleteAsync(string clusterId, string key, long expectedModRevision, CancellationToken cancellationToken = default) =>
        WriteAsync(WriteKind.Delete, clusterId, key, ReadOnlyMemory<byte>.Empty, expectedModRevision, null, cancellationToken);

    /// <inheritdoc />
    public Task<StoreWatch> WatchAsync(string clusterId, string prefix, long afterRevision, CancellationToken cancellationToken = default)
    {
        StoreKeys.ValidateClusterId(clusterId);
        StoreKeys.ValidatePrefix(prefix, _options.MaxKeyBytes);
        if (afterRevision < 0)
        {
            throw new InvalidStoreRequestException("afterRevision", "must be 0 (from now) or positive");
        }

        return _watches.WatchAsync(clusterId, prefix, afterRevision, cancellationToken);
    }

    /// <summary>Runs one compaction pass now, outside the schedule; returns the history rows removed.</summary>
    public Task<long> CompactAsync(CancellationToken cancellationToken = default) => _compactor.CompactOnceAsync(paced: false, cancellationToken);

    /// <summary>Bytes the database occupies on disk: the SQLite file and its WAL, or the PostgreSQL tables with their indexes and TOAST.</summary>
    public Task<long> GetDatabaseSizeBytesAsync(CancellationToken cancellationToken = default) => _backend.GetSizeBytesAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        await Task.WhenAll(_background).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _watches.Dispose();
        await _backend.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task<WriteResult> WriteAsync(WriteKind kind, string clusterId, string key, ReadOnlyMemory<byte> value, long expectedModRevision, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        StoreKeys.ValidateClusterId(clusterId);
        StoreKeys.ValidateKey(key, _options.MaxKeyBytes);
        if (value.Length > _options.MaxValueBytes)
        {
            throw new InvalidStoreRequestException("value", $"is {value.Length:N0} bytes; the limit is {_options.MaxValueBytes:N0} bytes");
        }

        if (expectedModRevision < 0)
        {
            throw new InvalidStoreRequestException("expectedModRevision", "must be 0 (unconditional) or positive");
        }

        if (ttl is { } t && (t <= TimeSpan.Zero || t > TimeSpan.FromDays(3650)))
        {
            throw new InvalidStoreRequestException("ttl", "must be positive and at most 10 years");
        }

        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        var nowMs = NowMs();
        var operation = new WriteOperation
        {
            Kind = kind,
            ClusterId = clusterId,
            Key = key,
            // The caller may reuse its buffer once we return: keep a private copy.
            Value = value.ToArray(),
            ExpectedModRevision = expectedModRevision,
            ExpiresAtMs = ttl is { } d ? nowMs + (long)Math.Ceiling(d.TotalMilliseconds) : null,
            NowMs = nowMs,
        };
        var outcome = await _writes.EnqueueAsync(operation).WaitAsync(cancellationToken);
        return outcome.Result ?? throw new ClusterNotFoundException(clusterId);
    }

    private void OnCommitted(IReadOnlyList<WriteOperation> operations, IReadOnlyList<WriteOutcome> outcomes)
    {
        // Signal each cluster once, with its newest revision in this batch.
        string? lastCluster = null;
        long lastRevision = 0;
        for (var i = 0; i < operations.Count; i++)
        {
            if (outcomes[i].Result is not { Status: WriteStatus.Applied } result)
            {
                continue;
            }

            if (operations[i].ExpiresAtMs is { } expiresAt)
            {
                _sweeper.ExpiryWritten(expiresAt);
            }

            if (lastCluster is not null && lastCluster != operations[i].ClusterId)
            {
                Committed(lastCluster, lastRevision);
            }

            lastCluster = operations[i].ClusterId;
            lastRevision = result.Revision;
        }

        if (lastCluster is not null)
        {
            Committed(lastCluster, lastRevision);
        }
    }

    private void Committed(string clusterId, long revision)
    {
        _watches.Signal(clusterId, revision);
        _compactor.Written(clusterId, revision);
    }

    private async Task DeleteExpiredAsync(string clusterId, string key, long modRevision)
    {
        // Compare-and-swap on the expired version: a key renewed meanwhile stays.
        var operation = new WriteOperation
        {
            Kind = WriteKind.Delete,
            ClusterId = clusterId,
            Key = key,
            Value = ReadOnlyMemory<byte>.Empty,
            ExpectedModRevision = modRevision,
            NowMs = NowMs(),
        };
        await _writes.EnqueueAsync(operation);
    }

    private long NowMs() => _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
}
