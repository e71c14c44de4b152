using Npgsql;

namespace EdgeCloud.LoadTests;

/// <summary>A fresh database created for one run on the server of EDGECLOUD_BENCH_POSTGRES, dropped at the end.</summary>
internal sealed class PostgresBenchDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    private PostgresBenchDatabase(string adminConnectionString, string name)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<PostgresBenchDatabase> CreateAsync(string adminConnectionString, string scenario, CancellationToken cancellationToken)
    {
        // Only [a-z0-9_] in the name, so that it needs no quoting here, in pgbench or in psql.
        var name = $"edgecloud_bench_{DateTime.UtcNow:yyyyMMddHHmmss}_{Environment.ProcessId}_{scenario}";
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new PostgresBenchDatabase(adminConnectionString, name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            // FORCE ends the sessions still connected, e.g. a child process that did not exit.
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException ex)
        {
            Console.Error.WriteLine($"could not drop database {Name}: {ex.Message}");
        }
    }
}
