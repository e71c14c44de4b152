namespace EdgeCloud.Tenancy;

/// <summary>A cluster of a tenant: its id is the store cluster and the path segment of its API (/clusters/{id}).</summary>
public sealed record TenantCluster
{
    /// <summary>Random DNS-label id, e.g. "c-4k2m9x7q1wzt"; never reused.</summary>
    public required string Id { get; init; }

    /// <summary>The tenant that owns it.</summary>
    public required string TenantId { get; init; }

    /// <summary>Display name, unique within the tenant.</summary>
    public required string Name { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Email of the member who created it.</summary>
    public required string CreatedBy { get; init; }
}
