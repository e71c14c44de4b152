namespace EdgeCloud.Tenancy;

/// <summary>A tenant: the customer organisation that owns clusters and has members.</summary>
public sealed record Tenant
{
    /// <summary>Random id, e.g. "t4k2m9x7q1wzt".</summary>
    public required string Id { get; init; }

    /// <summary>Display name chosen at signup.</summary>
    public required string Name { get; init; }

    /// <summary>The plan whose limits apply to the tenant's clusters.</summary>
    public required string Plan { get; init; }

    /// <summary>When the tenant was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
