namespace EdgeCloud.Store.Tests;

public enum StoreBackendKind
{
    Sqlite,
    Postgres,
}
