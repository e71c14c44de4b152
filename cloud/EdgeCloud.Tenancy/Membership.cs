namespace EdgeCloud.Tenancy;

/// <summary>An account's membership in a tenant, stored under both (members of a tenant; tenants of an account).</summary>
public sealed record Membership
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The member's account.</summary>
    public required string AccountId { get; init; }

    /// <summary>The member's email, so member lists need no account reads.</summary>
    public required string Email { get; init; }

    /// <summary>What the member may do.</summary>
    public required TenantRole Role { get; init; }

    /// <summary>When the member was added or last given a role.</summary>
    public required DateTimeOffset AddedAt { get; init; }
}
