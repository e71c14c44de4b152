using System.Security.Cryptography;
using System.Text;

namespace EdgeCloud.Tenancy;

/// <summary>
/// Sign-in sessions. The session token (256 random bits) goes to the browser in an HttpOnly cookie and is stored
/// only as its SHA-256, with a TTL, so the store's expiry removes it and every replica sees the same sessions;
/// signing out deletes it. Each session has its own anti-CSRF token, which the page reads from the API and sends
/// back in a header with every state-changing request (a cross-site form can send the cookie, not the header).
/// </summary>
public sealed class Sessions(SystemRecords records, TimeProvider time)
{
    /// <summary>How long a session lasts after sign-in.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private const string Prefix = "/tenancy/sessions/";

    /// <summary>Starts a session for <paramref name="account"/>; returns its token (for the cookie) and record.</summary>
    public async Task<(string Token, SessionRecord Session)> StartAsync(Account account, CancellationToken cancellationToken)
    {
        var token = "ecs_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var session = new SessionRecord
        {
            AccountId = account.Id,
            CsrfToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        };
        await records.CreateAsync(Prefix + Hash(token), session, TenancyJsonContext.Default.SessionRecord, cancellationToken, Lifetime);
        return (token, session);
    }

    /// <summary>The live session of <paramref name="token"/>, or null.</summary>
    public async Task<SessionRecord?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        if (token is null || token.Length != 68 || !token.StartsWith("ecs_", StringComparison.Ordinal))
        {
            return null;
        }

        var found = await records.GetAsync(Prefix + Hash(token), TenancyJsonContext.Default.SessionRecord, cancellationToken);
        // The sweeper deletes expired keys soon after expiry; until then the record's own expiry decides.
        return found is { Value: var session } && session.ExpiresAt > time.GetUtcNow() ? session : null;
    }

    /// <summary>Ends the session of <paramref name="token"/> (signing out).</summary>
    public Task EndAsync(string token, CancellationToken cancellationToken) => records.DeleteAsync(Prefix + Hash(token), cancellationToken);

    /// <summary>Whether <paramref name="sent"/> is the session's anti-CSRF token (constant-time).</summary>
    public static bool CsrfMatches(SessionRecord session, string? sent) =>
        sent is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(session.CsrfToken), Encoding.UTF8.GetBytes(sent));

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
