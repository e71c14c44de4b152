using EdgeCloud.Tenancy;

namespace EdgeCloud.Server.Portal;

/// <summary>
/// Who a portal request comes from: the session cookie (<see cref="CookieName"/>: HttpOnly, Secure,
/// SameSite=Strict), and for every method but GET and HEAD also the session's anti-CSRF token in
/// <see cref="CsrfHeader"/>. A tenant in the path must be one the account belongs to; otherwise the answer is
/// 404, the same as for a tenant that does not exist.
/// </summary>
internal sealed class PortalAuthentication(Sessions sessions, Accounts accounts, Tenants tenants)
{
    /// <summary>The session cookie.</summary>
    public const string CookieName = "ec_session";

    /// <summary>The header carrying the anti-CSRF token.</summary>
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>The caller of <paramref name="context"/>.</summary>
    /// <exception cref="TenancyException">401 without a live session; 403 for a state change without the CSRF token.</exception>
    public async Task<PortalCaller> CallerAsync(HttpContext context)
    {
        var token = context.Request.Cookies[CookieName];
        if (await sessions.FindAsync(token, context.RequestAborted) is not { } session
            || await accounts.GetAsync(session.AccountId, context.RequestAborted) is not { } account)
        {
            throw new TenancyException(401, "Unauthorized", "sign in first (POST /api/v1/login)");
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && !Sessions.CsrfMatches(session, context.Request.Headers[CsrfHeader].ToString()))
        {
            throw TenancyException.Forbidden($"missing or wrong {CsrfHeader} header: send the csrfToken that /api/v1/me returns");
        }

        return new PortalCaller(account, session, token!);
    }

    /// <summary>The caller's membership in <paramref name="tenantId"/>, which must allow at least <paramref name="role"/>.</summary>
    /// <exception cref="TenancyException">401/403 as <see cref="CallerAsync"/>; 404 when the caller is not a member; 403 when the role is too low.</exception>
    public async Task<(PortalCaller Caller, Membership Member)> MemberAsync(HttpContext context, string tenantId, TenantRole role)
    {
        var caller = await CallerAsync(context);
        var member = await tenants.MembershipAsync(tenantId, caller.Account.Id, context.RequestAborted) ?? throw TenancyException.NotFound("tenant");
        if (member.Role < role)
        {
            throw TenancyException.Forbidden($"this needs the {role.ToString().ToLowerInvariant()} role in the tenant; you are {member.Role.ToString().ToLowerInvariant()}");
        }

        return (caller, member);
    }

    /// <summary>Sets the session cookie.</summary>
    public static void SetCookie(HttpContext context, string token) =>
        context.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            Secure = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            MaxAge = Sessions.Lifetime,
        });

    /// <summary>Clears the session cookie.</summary>
    public static void ClearCookie(HttpContext context) =>
        context.Response.Cookies.Delete(CookieName, new CookieOptions { HttpOnly = true, Secure = true, SameSite = SameSiteMode.Strict, Path = "/" });
}
