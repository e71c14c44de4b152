using System.Text.Json.Nodes;
using EdgeCloud.Tenancy;

namespace EdgeCloud.Server.Portal;

/// <summary>The portal endpoints of accounts and tenants: signup, sign-in, plans, members, the audit log.</summary>
internal static partial class PortalApi
{
    private static async Task<IResult> SignUpAsync(HttpContext context, Accounts accounts, Sessions sessions, PlanCatalog plans)
    {
        var body = await ReadAsync(context, ServerJsonContext.Default.SignupBody);
        var (account, tenant) = await accounts.SignUpAsync(body.Email, body.Password, body.TenantName, plans.Default.Name, context.RequestAborted);
        var (token, session) = await sessions.StartAsync(account, context.RequestAborted);
        PortalAuthentication.SetCookie(context, token);
        return Results.Json(new JsonObject
        {
            ["account"] = AccountJson(account),
            ["tenant"] = TenantJson(tenant, TenantRole.Owner),
            ["csrfToken"] = session.CsrfToken,
        }, ServerJsonContext.Default.JsonObject, statusCode: 201);
    }

    private static async Task<IResult> LogInAsync(HttpContext context, Accounts accounts, Sessions sessions, Tenants tenants)
    {
        var body = await ReadAsync(context, ServerJsonContext.Default.LoginBody);
        var account = await accounts.VerifyAsync(body.Email, body.Password, context.RequestAborted)
                      ?? throw new TenancyException(401, "Unauthorized", "wrong email or password");
        var (token, session) = await sessions.StartAsync(account, context.RequestAborted);
        PortalAuthentication.SetCookie(context, token);
        return Results.Json(await MeJsonAsync(account, session, tenants, context.RequestAborted), ServerJsonContext.Default.JsonObject);
    }

    private static async Task<IResult> LogOutAsync(HttpContext context, PortalAuthentication auth, Sessions sessions)
    {
        var caller = await auth.CallerAsync(context);
        await sessions.EndAsync(caller.SessionToken, context.RequestAborted);
        PortalAuthentication.ClearCookie(context);
        return Results.NoContent();
    }

    private static async Task<IResult> MeAsync(HttpContext context, PortalAuthentication auth, Tenants tenants)
    {
        var caller = await auth.CallerAsync(context);
        return Results.Json(await MeJsonAsync(caller.Account, caller.Session, tenants, context.RequestAborted), ServerJsonContext.Default.JsonObject);
    }

    private static async Task<IResult> TenantAsync(HttpContext context, string tenant, PortalAuthentication auth, Tenants tenants)
    {
        var (_, member) = await auth.MemberAsync(context, tenant, TenantRole.Viewer);
        var found = await tenants.GetAsync(tenant, context.RequestAborted) ?? throw TenancyException.NotFound("tenant");
        return Results.Json(TenantJson(found, member.Role), ServerJsonContext.Default.JsonObject);
    }

    private static IResult Plans(PlanCatalog plans) => List(plans.All.Select(PlanJson));

    private static async Task<IResult> SetPlanAsync(HttpContext context, string tenant, PortalAuthentication auth, Tenants tenants, PlanCatalog plans)
    {
        var (caller, member) = await auth.MemberAsync(context, tenant, TenantRole.Owner);
        var body = await ReadAsync(context, ServerJsonContext.Default.PlanBody);
        if (body.Plan is null || !plans.Offers(body.Plan))
        {
            throw TenancyException.Invalid($"plan: use one of {string.Join(", ", plans.All.Select(p => p.Name))}");
        }

        var changed = await tenants.SetPlanAsync(tenant, body.Plan, caller.Account.Email, context.RequestAborted);
        return Results.Json(TenantJson(changed, member.Role), ServerJsonContext.Default.JsonObject);
    }

    private static JsonObject PlanJson(Plan plan) => new()
    {
        ["name"] = plan.Name,
        ["maxClusters"] = plan.MaxClusters,
        ["maxNodesPerCluster"] = plan.MaxNodesPerCluster,
        ["maxObjectsPerCluster"] = plan.MaxObjectsPerCluster,
        ["requestsPerSecond"] = plan.RequestsPerSecond,
        ["requestBurst"] = plan.RequestBurst,
        ["maxWatchesPerCluster"] = plan.MaxWatchesPerCluster,
    };

    private static async Task<IResult> MembersAsync(HttpContext context, string tenant, PortalAuthentication auth, Tenants tenants)
    {
        await auth.MemberAsync(context, tenant, TenantRole.Viewer);
        var members = await tenants.MembersAsync(tenant, context.RequestAborted);
        return List(members.Select(MemberJson));
    }

    private static async Task<IResult> SetMemberAsync(HttpContext context, string tenant, PortalAuthentication auth, Tenants tenants, Accounts accounts)
    {
        var (caller, _) = await auth.MemberAsync(context, tenant, TenantRole.Owner);
        var body = await ReadAsync(context, ServerJsonContext.Default.MemberBody);
        if (!Enum.TryParse<TenantRole>(body.Role, ignoreCase: true, out var role) || !Enum.IsDefined(role) || int.TryParse(body.Role, out _))
        {
            throw TenancyException.Invalid("role: use owner, admin or viewer");
        }

        var account = await accounts.FindByEmailAsync(Accounts.NormalizeEmail(body.Email), context.RequestAborted)
                      ?? throw TenancyException.NotFound("account (the person must sign up first)");
        var member = await tenants.SetMemberAsync(tenant, account, role, caller.Account.Email, context.RequestAborted);
        return Results.Json(MemberJson(member), ServerJsonContext.Default.JsonObject);
    }

    private static async Task<IResult> RemoveMemberAsync(HttpContext context, string tenant, string account, PortalAuthentication auth, Tenants tenants)
    {
        var (caller, _) = await auth.MemberAsync(context, tenant, TenantRole.Owner);
        await tenants.RemoveMemberAsync(tenant, account, caller.Account.Email, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> AuditAsync(HttpContext context, string tenant, PortalAuthentication auth, AuditLog audit)
    {
        await auth.MemberAsync(context, tenant, TenantRole.Owner);
        var entries = await audit.ListAsync(tenant, 500, context.RequestAborted);
        return List(entries.Select(e => new JsonObject
        {
            ["time"] = e.Time,
            ["actor"] = e.Actor,
            ["action"] = e.Action,
            ["target"] = e.Target,
            ["detail"] = e.Detail,
        }));
    }
}
