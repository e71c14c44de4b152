namespace EdgeCloud.Store.Tests;

/// <summary>The store contract on the embedded SQLite backend (a real file in WAL mode).</summary>
public sealed class SqliteRevisionedStoreTests() : RevisionedStoreSpec(StoreBackendKind.Sqlite);
