namespace EdgeCloud.Tenancy;

/// <summary>An account: one person, who signs in with an email address and a password.</summary>
public sealed record Account
{
    /// <summary>Random id, e.g. "a1b2c3d4e5f6g7h8".</summary>
    public required string Id { get; init; }

    /// <summary>Normalized (trimmed, lower-case) email address.</summary>
    public required string Email { get; init; }

    /// <summary><see cref="PasswordHashing"/>'s encoding of the password hash; the password itself is never kept.</summary>
    public required string PasswordHash { get; init; }

    /// <summary>When the account signed up.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
