namespace EdgeCloud.LoadTests;

/// <summary>Everything measured on one backend.</summary>
internal sealed record BackendResult
{
    /// <summary>"sqlite" or "postgres".</summary>
    public required string Backend { get; init; }

    /// <summary>The database engine's version, e.g. SQLite 3.50.4 or PostgreSQL 15.18.</summary>
    public string? Version { get; init; }

    /// <summary>How the ceiling was measured, e.g. the pgbench version.</summary>
    public string? CeilingTool { get; init; }

    public IReadOnlyList<WritePoint> Writes { get; init; } = [];

    public WatchResult? WatchInProcess { get; init; }

    /// <summary>PostgreSQL only: a watcher in a second process of this executable.</summary>
    public WatchResult? WatchCrossProcess { get; init; }

    public ChurnResult? Churn { get; init; }

    /// <summary>Failures outside any one measurement (e.g. the database could not be created).</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];
}
