using EdgeCloud.Tenancy;

namespace EdgeCloud.Server.Portal;

/// <summary>The signed-in account of a portal request, and its session.</summary>
/// <param name="Account">Who is signed in.</param>
/// <param name="Session">The session (its anti-CSRF token).</param>
/// <param name="SessionToken">The cookie's token (to sign out).</param>
internal sealed record PortalCaller(Account Account, SessionRecord Session, string SessionToken);
