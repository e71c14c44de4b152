using System.Net.Mail;

namespace EdgeCloud.Tenancy;

/// <summary>
/// Accounts: signup (which also creates the account's first tenant, with it as owner) and password sign-in.
/// The email index (<c>/tenancy/emails/{email}</c>) is claimed first by a create, so two signups with one
/// address cannot both succeed. Password hashing runs at most <see cref="MaxConcurrentHashes"/> at a time, so a
/// burst of sign-ins cannot take every core.
/// </summary>
public sealed class Accounts(SystemRecords records, Tenants tenants, TimeProvider time)
{
    /// <summary>Password hashes computed at once; more wait.</summary>
    public const int MaxConcurrentHashes = 2;

    /// <summary>Shortest password accepted.</summary>
    public const int MinPasswordLength = 10;

    /// <summary>Longest password accepted (characters).</summary>
    public const int MaxPasswordLength = 256;

    private static readonly SemaphoreSlim Hashing = new(MaxConcurrentHashes);

    /// <summary>Hash of a password nobody has, verified when an email is unknown so that the answer takes as long.</summary>
    private static readonly Lazy<string> DecoyHash = new(() => PasswordHashing.Hash(Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))));

    private const string AccountPrefix = "/tenancy/accounts/";
    private const string EmailPrefix = "/tenancy/emails/";

    /// <summary>
    /// Creates an account and its first tenant, named <paramref name="tenantName"/>, on <paramref name="plan"/>.
    /// </summary>
    /// <exception cref="TenancyException">400 for a bad email, password or name; 409 when the email is taken.</exception>
    public async Task<(Account Account, Tenant Tenant)> SignUpAsync(string? email, string? password, string? tenantName, string plan, CancellationToken cancellationToken)
    {
        var normalized = NormalizeEmail(email);
        CheckPassword(password);
        var name = Tenants.CheckName(tenantName);
        var id = TenancyIds.New("a");
        // The address first (a cheap create): a duplicate signup costs no password hash.
        if (!await records.CreateAsync(EmailPrefix + normalized, id, TenancyJsonContext.Default.String, cancellationToken))
        {
            throw new TenancyException(409, "AlreadyExists", $"an account with the email {normalized} already exists; sign in instead");
        }

        try
        {
            var account = new Account { Id = id, Email = normalized, PasswordHash = await HashAsync(password!, cancellationToken), CreatedAt = time.GetUtcNow() };
            await records.CreateAsync(AccountPrefix + id, account, TenancyJsonContext.Default.Account, cancellationToken);
            var tenant = await tenants.CreateAsync(name, plan, account, cancellationToken);
            return (account, tenant);
        }
        catch
        {
            // Free the address again: a signup that failed half-way must not lock the user out of a retry.
            await records.DeleteAsync(EmailPrefix + normalized, CancellationToken.None);
            await records.DeleteAsync(AccountPrefix + id, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The account whose email and password these are, or null (same answer, and about the same time, for an unknown email and a wrong password).</summary>
    public async Task<Account?> VerifyAsync(string? email, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(password) || password.Length > MaxPasswordLength || TryNormalizeEmail(email) is not { } normalized)
        {
            return null;
        }

        var account = await FindByEmailAsync(normalized, cancellationToken);
        await Hashing.WaitAsync(cancellationToken);
        try
        {
            var matches = PasswordHashing.Verify(password, account?.PasswordHash ?? DecoyHash.Value);
            return matches ? account : null;
        }
        finally
        {
            Hashing.Release();
        }
    }

    /// <summary>The account with this id, or null.</summary>
    public async Task<Account?> GetAsync(string id, CancellationToken cancellationToken) =>
        TenancyIds.IsWellFormed(id, "a") && await records.GetAsync(AccountPrefix + id, TenancyJsonContext.Default.Account, cancellationToken) is { } found ? found.Value : null;

    /// <summary>The account with this email (any case, surrounding spaces ignored), or null.</summary>
    public async Task<Account?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        if (TryNormalizeEmail(email) is not { } normalized
            || await records.GetAsync(EmailPrefix + normalized, TenancyJsonContext.Default.String, cancellationToken) is not { } id)
        {
            return null;
        }

        return await GetAsync(id.Value, cancellationToken);
    }

    /// <summary>The normalized form of a valid email address.</summary>
    /// <exception cref="TenancyException">400 when it is not one.</exception>
    public static string NormalizeEmail(string? email) =>
        TryNormalizeEmail(email) ?? throw TenancyException.Invalid("email: enter a valid email address, e.g. ops@example.com");

    private static string? TryNormalizeEmail(string? email)
    {
        var trimmed = email?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 254 || trimmed.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '/'))
        {
            return null;
        }

        // MailAddress accepts display names ("A <a@b>"); only a bare address equal to the input is an email here.
        return MailAddress.TryCreate(trimmed, out var parsed) && parsed.Address == trimmed && parsed.Host.Contains('.', StringComparison.Ordinal) ? trimmed : null;
    }

    private static void CheckPassword(string? password)
    {
        if (password is null || password.Length < MinPasswordLength)
        {
            throw TenancyException.Invalid($"password: use at least {MinPasswordLength} characters");
        }

        if (password.Length > MaxPasswordLength)
        {
            throw TenancyException.Invalid($"password: use at most {MaxPasswordLength} characters");
        }
    }

    private static async Task<string> HashAsync(string password, CancellationToken cancellationToken)
    {
        await Hashing.WaitAsync(cancellationToken);
        try
        {
            return PasswordHashing.Hash(password);
        }
        finally
        {
            Hashing.Release();
        }
    }
}
