using EdgeCloud.Store;

namespace EdgeCloud.LoadTests;

/// <summary>
/// One database engine under test: where the store's files or databases live, how its ceiling is measured,
/// and how to clean up. Each scenario name gets its own file or database, so sizes are not mixed up.
/// </summary>
internal interface IBenchBackend : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres".</summary>
    string Name { get; }

    /// <summary>Engine version, e.g. "SQLite 3.46.1".</summary>
    Task<string> DescribeVersionAsync(CancellationToken cancellationToken);

    /// <summary>The tool and settings of the ceiling measurement.</summary>
    Task<string> DescribeCeilingAsync(CancellationToken cancellationToken);

    /// <summary>Opens a store on the scenario's own file or database (created on first use).</summary>
    Task<RevisionedStore> OpenStoreAsync(string scenario, RevisionedStoreOptions options, CancellationToken cancellationToken);

    /// <summary>The database's own rate for the equivalent one-row transaction with <paramref name="writers"/> clients.</summary>
    Task<CeilingMeasurement> MeasureCeilingAsync(WriteWorkload workload, int writers, StoreBenchSettings settings, CancellationToken cancellationToken);

    /// <summary>Bytes per file or table of the scenario's store, and its history row count.</summary>
    Task<IReadOnlyDictionary<string, long>> DescribeStorageAsync(string scenario, CancellationToken cancellationToken);

    /// <summary>A connection string another process can open the scenario's store with; null when only one process may.</summary>
    string? SharedConnectionString(string scenario);
}
