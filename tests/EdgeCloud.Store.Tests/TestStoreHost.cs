using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Store.Tests;

/// <summary>
/// Owns the database behind the stores a test opens: a SQLite file in a temp directory, or a PostgreSQL
/// database of its own. Every store it opened is disposed with it.
/// </summary>
public sealed class TestStoreHost : IAsyncDisposable
{
    private readonly List<RevisionedStore> _stores = [];
    private readonly string _directory;
    private readonly PostgresTestDatabase? _postgres;

    private TestStoreHost(StoreBackendKind kind, string directory, PostgresTestDatabase? postgres)
    {
        Kind = kind;
        _directory = directory;
        _postgres = postgres;
    }

    public StoreBackendKind Kind { get; }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public string SqlitePath => Path.Combine(_directory, "state.db");

    public string? PostgresConnectionString => _postgres?.ConnectionString;

    public static async Task<TestStoreHost> CreateAsync(StoreBackendKind kind)
    {
        var directory = Path.Combine(Path.GetTempPath(), "edgecloud-store-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var postgres = kind == StoreBackendKind.Postgres ? await PostgresTestDatabase.CreateAsync() : null;
        return new TestStoreHost(kind, directory, postgres);
    }

    /// <summary>Options with the host's fake clock and maintenance off unless a test turns it on.</summary>
    public RevisionedStoreOptions Options(Action<RevisionedStoreOptions>? configure = null)
    {
        var options = new RevisionedStoreOptions { TimeProvider = Time, RunMaintenance = false };
        configure?.Invoke(options);
        return options;
    }

    public async Task<RevisionedStore> OpenAsync(RevisionedStoreOptions? options = null)
    {
        options ??= Options();
        var store = Kind == StoreBackendKind.Sqlite
            ? await RevisionedStore.OpenSqliteAsync(SqlitePath, SqliteSynchronous.Full, options)
            : await RevisionedStore.OpenPostgresAsync(_postgres!.ConnectionString, options);
        _stores.Add(store);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
