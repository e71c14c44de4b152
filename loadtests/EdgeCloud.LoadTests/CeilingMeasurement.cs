namespace EdgeCloud.LoadTests;

/// <summary>The database's own rate for the equivalent one-row transaction, with how it was measured.</summary>
internal sealed record CeilingMeasurement
{
    /// <summary>Transactions per second, or null when it could not be measured (see <see cref="Error"/>).</summary>
    public double? PerSecond { get; init; }

    /// <summary>E.g. <c>pgbench -n -c 16 -j 2 -T 5</c> or <c>Microsoft.Data.Sqlite, 16 connections, autocommit</c>.</summary>
    public required string Method { get; init; }

    public string? Error { get; init; }
}
