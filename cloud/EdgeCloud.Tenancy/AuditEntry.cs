namespace EdgeCloud.Tenancy;

/// <summary>One tenant-level action: who did what to what, and when.</summary>
public sealed record AuditEntry
{
    /// <summary>When it happened.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Email of the account that acted.</summary>
    public required string Actor { get; init; }

    /// <summary>What was done, e.g. "cluster.create", "join-token.rotate".</summary>
    public required string Action { get; init; }

    /// <summary>What it was done to, e.g. the cluster id.</summary>
    public required string Target { get; init; }

    /// <summary>More about it, e.g. the cluster's name; never a secret.</summary>
    public string? Detail { get; init; }
}
