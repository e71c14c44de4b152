namespace EdgeCloud.Store.Tests;

/// <summary>The store contract on PostgreSQL (the server scripts/test.sh starts).</summary>
public sealed class PostgresRevisionedStoreTests() : RevisionedStoreSpec(StoreBackendKind.Postgres);
