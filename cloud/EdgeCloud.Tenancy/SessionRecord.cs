namespace EdgeCloud.Tenancy;

/// <summary>A signed-in browser or API session; stored under the hash of its token, with a TTL.</summary>
public sealed record SessionRecord
{
    /// <summary>The signed-in account.</summary>
    public required string AccountId { get; init; }

    /// <summary>The anti-CSRF token every state-changing request of this session must send in a header.</summary>
    public required string CsrfToken { get; init; }

    /// <summary>When the account signed in.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the session ends (the store key's TTL ends at the same time).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}
