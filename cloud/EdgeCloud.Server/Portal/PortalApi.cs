using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Server.Api;
using EdgeCloud.Tenancy;

namespace EdgeCloud.Server.Portal;

/// <summary>
/// The managed service's REST API under /api/v1 (the web pages use it too): signup, sign-in, tenants and members,
/// clusters with their kubeconfigs and join tokens, the audit log. Errors are metav1.Status objects, as on the
/// cluster APIs. Another tenant's tenant or cluster id is answered 404, exactly as one that does not exist.
/// </summary>
internal static partial class PortalApi
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
