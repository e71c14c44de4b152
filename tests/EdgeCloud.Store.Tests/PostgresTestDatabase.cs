using Npgsql;

namespace EdgeCloud.Store.Tests;

/// <summary>
/// A fresh database on the PostgreSQL that scripts/test.sh starts (connection string in EDGECLOUD_TEST_POSTGRES).
/// Each test class gets its own database and drops it afterwards. Without PostgreSQL the test is skipped on a
/// developer machine, and fails under CI=true: CI must never pass by skipping.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string EnvironmentVariable = "EDGECLOUD_TEST_POSTGRES";

    private readonly string _adminConnectionString;

    private PostgresTestDatabase(string adminConnectionString, string name, string connectionString)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static string AdminConnectionString()
    {
        var connectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{EnvironmentVariable} is not set under CI=true: run the tests through scripts/test.sh, which starts PostgreSQL");
        }

        Assert.Skip($"PostgreSQL is not available: set {EnvironmentVariable} or run scripts/test.sh");
        return null!;
    }

    public static async Task<PostgresTestDatabase> CreateAsync(CancellationToken cancellationToken = default)
    {
        var admin = AdminConnectionString();
        var name = "ec_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new PostgresTestDatabase(admin, name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
