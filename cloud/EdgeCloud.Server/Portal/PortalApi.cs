using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Server.Api;
using EdgeCloud.Server.Hosting;
using EdgeCloud.Server.Security;
using EdgeCloud.Tenancy;

namespace EdgeCloud.Server.Portal;

/// <summary>
/// The managed service's REST API under /api/v1 (the web pages use it too): signup, sign-in, tenants and members,
/// clusters with their kubeconfigs and join tokens, the audit log. Errors are metav1.Status objects, as on the
/// cluster APIs. Another tenant's tenant or cluster id is answered 404, exactly as one that does not exist.
/// </summary>
internal static class PortalApi
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapPortalApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.AddEndpointFilter(static async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (TenancyException error)
            {
                return Error(error.Code, error.Reason, error.Message);
            }
        });

        api.MapPost("/signup", SignUpAsync);
        api.MapPost("/login", LogInAsync);
        api.MapPost("/logout", LogOutAsync);
        api.MapGet("/me", MeAsync);
        api.MapGet("/plans", Plans);

        var tenant = api.MapGroup("/tenants/{tenant}");
        tenant.MapGet("", TenantAsync);
        tenant.MapPut("/plan", SetPlanAsync);
        tenant.MapGet("/members", MembersAsync);
        tenant.MapPost("/members", SetMemberAsync);
        tenant.MapDelete("/members/{account}", RemoveMemberAsync);
        tenant.MapGet("/audit", AuditAsync);
        tenant.MapGet("/clusters", ClustersAsync);
        tenant.MapPost("/clusters", CreateClusterAsync);
        tenant.MapGet("/clusters/{cluster}", ClusterAsync);
        tenant.MapDelete("/clusters/{cluster}", DeleteClusterAsync);
        tenant.MapGet("/clusters/{cluster}/kubeconfig", KubeconfigAsync);
        tenant.MapGet("/clusters/{cluster}/join-tokens", JoinTokensAsync);
        tenant.MapPost("/clusters/{cluster}/join-tokens", IssueJoinTokenAsync);
        tenant.MapPost("/clusters/{cluster}/join-tokens/{id}/rotate", RotateJoinTokenAsync);
        tenant.MapDelete("/clusters/{cluster}/join-tokens/{id}", RevokeJoinTokenAsync);
    }

    /// <summary>Adds the services of these endpoints and of the tenancy library.</summary>
    public static IServiceCollection AddPortal(this IServiceCollection services) => services
        .AddSingleton<SystemRecords>()
        .AddSingleton<AuditLog>()
        .AddSingleton<Tenants>()
        .AddSingleton<Accounts>()
        .AddSingleton<Sessions>()
        .AddSingleton<ClusterCatalog>()
        .AddSingleton<ClusterProvisioning>()
        .AddSingleton<PortalAuthentication>()
        .AddSingleton<ClusterPlans>()
        .AddSingleton<ClusterQuotas>()
        .AddSingleton<Kube.Storage.ICreateQuota>(static provider => provider.GetRequiredService<ClusterQuotas>())
        .AddHostedService<ClusterCatalogSync>();

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

    private static async Task<IResult> ClustersAsync(HttpContext context, string tenant, PortalAuthentication auth, ClusterCatalog catalog)
    {
        await auth.MemberAsync(context, tenant, TenantRole.Viewer);
        var clusters = await catalog.ListAsync(tenant, context.RequestAborted);
        return List(clusters.Select(c => ClusterJson(context, c)));
    }

    private static async Task<IResult> CreateClusterAsync(HttpContext context, string tenant, PortalAuthentication auth, ClusterProvisioning provisioning)
    {
        var (caller, _) = await auth.MemberAsync(context, tenant, TenantRole.Admin);
        var body = await ReadAsync(context, ServerJsonContext.Default.CreateClusterBody);
        var cluster = await provisioning.CreateAsync(tenant, body.Name, caller.Account.Email, context.RequestAborted);
        return Results.Json(ClusterJson(context, cluster), ServerJsonContext.Default.JsonObject, statusCode: 201);
    }

    private static async Task<IResult> ClusterAsync(HttpContext context, string tenant, string cluster, PortalAuthentication auth, ClusterCatalog catalog)
    {
        await auth.MemberAsync(context, tenant, TenantRole.Viewer);
        return Results.Json(ClusterJson(context, await FindClusterAsync(catalog, tenant, cluster, context)), ServerJsonContext.Default.JsonObject);
    }

    private static async Task<IResult> DeleteClusterAsync(HttpContext context, string tenant, string cluster, PortalAuthentication auth, ClusterCatalog catalog, ClusterProvisioning provisioning)
    {
        var (caller, _) = await auth.MemberAsync(context, tenant, TenantRole.Admin);
        var found = await FindClusterAsync(catalog, tenant, cluster, context);
        await provisioning.DeleteAsync(found, caller.Account.Email, context.RequestAborted);
        return Results.Json(new JsonObject { ["id"] = found.Id, ["name"] = found.Name, ["deleted"] = true }, ServerJsonContext.Default.JsonObject);
    }

    /// <summary>
    /// A kubeconfig with a new token: <c>?access=admin</c> (admins and owners; the default for them) or
    /// <c>?access=read-only</c> (get, list and watch without Secrets; the default and the only choice for viewers).
    /// </summary>
    private static async Task<IResult> KubeconfigAsync(HttpContext context, string tenant, string cluster, string? access, PortalAuthentication auth, ClusterCatalog catalog, BearerTokens tokens, ServerTls tls, AuditLog audit)
    {
        var (caller, member) = await auth.MemberAsync(context, tenant, TenantRole.Viewer);
        var found = await FindClusterAsync(catalog, tenant, cluster, context);
        access ??= member.Role >= TenantRole.Admin ? "admin" : "read-only";
        IReadOnlyList<string> groups = access switch
        {
            "admin" when member.Role >= TenantRole.Admin => ["system:masters", "system:authenticated"],
            "admin" => throw TenancyException.Forbidden("an admin kubeconfig needs the admin role; ask for ?access=read-only"),
            "read-only" => [ReadOnlyAccess.ViewGroup, "system:authenticated"],
            _ => throw TenancyException.Invalid("access: use admin or read-only"),
        };
        var token = await tokens.IssueAsync(new TokenIdentity(found.Id, caller.Account.Email, groups), context.RequestAborted);
        await audit.WriteAsync(tenant, caller.Account.Email, "kubeconfig.issue", found.Id, access, context.RequestAborted);
        var yaml = KubeconfigWriter.Serialize(new ClusterKubeconfig
        {
            ClusterName = found.Name,
            Server = ApiUrl(context, found),
            CertificateAuthorityPem = tls.CaPem,
            Token = token,
        });
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{found.Name}-{access}.kubeconfig.yaml\"";
        context.Response.Headers.CacheControl = "no-store";
        return Results.Text(yaml, "application/yaml");
    }

    private static async Task<IResult> JoinTokensAsync(HttpContext context, string tenant, string cluster, PortalAuthentication auth, ClusterCatalog catalog, Nodes.JoinTokens joinTokens)
    {
        await auth.MemberAsync(context, tenant, TenantRole.Admin);
        var found = await FindClusterAsync(catalog, tenant, cluster, context);
        var listed = await joinTokens.ListAsync(found.Id, context.RequestAborted);
        return List(listed.Select(t => new JsonObject { ["id"] = t.Id, ["createdAt"] = t.CreatedAt, ["createdBy"] = t.CreatedBy }));
    }

    private static async Task<IResult> IssueJoinTokenAsync(HttpContext context, string tenant, string cluster, PortalAuthentication auth, ClusterCatalog catalog, Nodes.JoinTokens joinTokens, ServerTls tls, AuditLog audit)
    {
        var (caller, _) = await auth.MemberAsync(context, tenant, TenantRole.Admin);
        var found = await FindClusterAsync(catalog, tenant, cluster, context);
        var (token, record) = await joinTokens.IssueWithRecordAsync(found.Id, tls.CaPem, caller.Account.Email, context.RequestAborted);
        await audit.WriteAsync(tenant, caller.Account.Email, "join-token.create", found.Id, record.Id, context.RequestAborted);
        return Results.Json(JoinTokenJson(context, record, token), ServerJsonContext.Default.JsonObject, statusCode: 201);
    }

    private static async Task<IResult> RotateJoinTokenAsync(HttpContext context, string tenant, string cluster, string id, PortalAuthentication auth, ClusterCatalog catalog, Nodes.JoinTokens joinTokens, ServerTls tls, AuditLog audit)
    {
        var (caller, _) = await auth.MemberAsync(context, tenant, TenantRole.Admin);
        var found = await FindClusterAsync(catalog, tenant, cluster, context);
        if (!(await joinTokens.ListAsync(found.Id, context.RequestAborted)).Any(t => t.Id == id))
        {
            throw TenancyException.NotFound("join token");
        }

        // The new token first: a failure in between leaves two valid tokens, never none.
        var (token, record) = await joinTokens.IssueWithRecordAsync(found.Id, tls.CaPem, caller.Account.Email, context.RequestAborted);
        await joinTokens.RevokeAsync(found.Id, id, context.RequestAborted);
        await audit.WriteAsync(tenant, caller.Account.Email, "join-token.rotate", found.Id, $"{id} -> {record.Id}", context.RequestAborted);
        return Results.Json(JoinTokenJson(context, record, token), ServerJsonContext.Default.JsonObject, statusCode: 201);
    }

    private static async Task<IResult> RevokeJoinTokenAsync(HttpContext context, string tenant, string cluster, string id, PortalAuthentication auth, ClusterCatalog catalog, Nodes.JoinTokens joinTokens, AuditLog audit)
    {
        var (caller, _) = await auth.MemberAsync(context, tenant, TenantRole.Admin);
        var found = await FindClusterAsync(catalog, tenant, cluster, context);
        if (!await joinTokens.RevokeAsync(found.Id, id, context.RequestAborted))
        {
            throw TenancyException.NotFound("join token");
        }

        await audit.WriteAsync(tenant, caller.Account.Email, "join-token.revoke", found.Id, id, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<TenantCluster> FindClusterAsync(ClusterCatalog catalog, string tenant, string cluster, HttpContext context) =>
        await catalog.GetAsync(tenant, cluster, context.RequestAborted) ?? throw TenancyException.NotFound("cluster");

    private static async Task<T> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        if (!context.Request.HasJsonContentType())
        {
            throw new TenancyException(415, "UnsupportedMediaType", "send a JSON body with Content-Type: application/json");
        }

        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted)
                   ?? throw TenancyException.Invalid("the body is JSON null; send an object");
        }
        catch (JsonException error)
        {
            throw TenancyException.Invalid("the body is not valid JSON: " + error.Message);
        }
    }

    private static async Task<JsonObject> MeJsonAsync(Account account, SessionRecord session, Tenants tenants, CancellationToken cancellationToken)
    {
        var memberships = await tenants.OfAccountAsync(account.Id, cancellationToken);
        var list = new JsonArray();
        foreach (var membership in memberships)
        {
            if (await tenants.GetAsync(membership.TenantId, cancellationToken) is { } tenant)
            {
                list.Add(TenantJson(tenant, membership.Role));
            }
        }

        return new JsonObject { ["account"] = AccountJson(account), ["tenants"] = list, ["csrfToken"] = session.CsrfToken };
    }

    private static JsonObject AccountJson(Account account) => new() { ["id"] = account.Id, ["email"] = account.Email, ["createdAt"] = account.CreatedAt };

    private static JsonObject TenantJson(Tenant tenant, TenantRole role) => new()
    {
        ["id"] = tenant.Id,
        ["name"] = tenant.Name,
        ["plan"] = tenant.Plan,
        ["role"] = RoleName(role),
        ["createdAt"] = tenant.CreatedAt,
    };

    private static JsonObject MemberJson(Membership member) => new()
    {
        ["accountId"] = member.AccountId,
        ["email"] = member.Email,
        ["role"] = RoleName(member.Role),
        ["addedAt"] = member.AddedAt,
    };

    private static JsonObject ClusterJson(HttpContext context, TenantCluster cluster) => new()
    {
        ["id"] = cluster.Id,
        ["name"] = cluster.Name,
        ["server"] = ApiUrl(context, cluster),
        ["createdAt"] = cluster.CreatedAt,
        ["createdBy"] = cluster.CreatedBy,
    };

    private static JsonObject JoinTokenJson(HttpContext context, Nodes.JoinTokenRecord record, string token) => new()
    {
        ["id"] = record.Id,
        ["createdAt"] = record.CreatedAt,
        ["createdBy"] = record.CreatedBy,
        // Shown once: only its hash is kept.
        ["token"] = token,
        ["installCommand"] = $"curl -sfL {BaseUrl(context)}/install.sh | sh -s - --token {token}",
    };

    private static string RoleName(TenantRole role) => role.ToString().ToLowerInvariant();

    private static string BaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    private static string ApiUrl(HttpContext context, TenantCluster cluster) => $"{BaseUrl(context)}{ClusterApiMiddleware.Prefix}{cluster.Id}";

    private static IResult List(IEnumerable<JsonObject> items) =>
        Results.Json(new JsonObject { ["items"] = new JsonArray([.. items]) }, ServerJsonContext.Default.JsonObject);

    private static IResult Error(int code, string reason, string message) =>
        Results.Json(StatusResponses.ToStatus(new KubeApiException(code, reason, message)), ServerJsonContext.Default.JsonObject, statusCode: code);
}
