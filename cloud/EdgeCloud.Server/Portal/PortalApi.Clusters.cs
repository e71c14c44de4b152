using System.Text.Json.Nodes;
using EdgeCloud.Server.Api;
using EdgeCloud.Server.Hosting;
using EdgeCloud.Server.Security;
using EdgeCloud.Tenancy;

namespace EdgeCloud.Server.Portal;

/// <summary>The portal endpoints of a tenant's clusters: create, list, delete, kubeconfigs, join tokens.</summary>
internal static partial class PortalApi
{
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
}
