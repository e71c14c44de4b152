using System.Net;
using System.Text.Json.Nodes;
using EdgeCloud.Server.Security;
using EdgeCloud.Server.Tests.Agents;
using EdgeCloud.Server.Tests.EndToEnd;

namespace EdgeCloud.Server.Tests.Tenancy;

/// <summary>
/// The managed service as a platform team uses it, against a real edgecloud process: signup, a cluster, its
/// kubeconfigs with the real kubectl, an agent joining with the cluster's join token, token rotation and
/// revocation, deletion of the cluster, roles and CSRF, and the audit log.
/// </summary>
public sealed class TenancyFlowTests(EdgeCloudProcess server) : IClassFixture<EdgeCloudProcess>, IDisposable
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(20);
    private readonly string _work = Directory.CreateTempSubdirectory("tenancy-flow-").FullName;

    private string BaseUrl => AgentProcess.ServerOf(server.ApiAddress);

    private async Task<string> CaPemAsync() => (await KubeconfigReader.ReadAsync(server.KubeconfigPath, CancellationToken.None)).CertificateAuthorityPem;

    private static string NewEmail(string who) => $"{who}-{Guid.NewGuid():N}"[..20] + "@example.com";

    [Fact]
    public async Task Signup_cluster_kubeconfig_and_an_agent_with_the_join_token_gives_a_Ready_node_and_deleting_the_cluster_removes_it_all()
    {
        const string Password = "correct horse battery staple";
        using var portal = await PortalClient.SignUpAsync(BaseUrl, await CaPemAsync(), NewEmail("flow"), password: Password);
        var cluster = await portal.CreateClusterAsync("plant-7");
        var listed = await portal.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"api/v1/tenants/{portal.TenantId}/clusters");
        Assert.Equal(cluster, Assert.Single(listed["items"]!.AsArray())!["id"]!.GetValue<string>());

        // The admin kubeconfig drives the real kubectl against the new cluster's own API.
        var admin = await portal.DownloadKubeconfigAsync(cluster, "admin", _work);
        var kubectl = new Kubectl("1.33", admin);
        Assert.Contains("kube-system", await kubectl.OkAsync("get", "namespaces"), StringComparison.Ordinal);
        await kubectl.OkAsync("create", "configmap", "site", "--from-literal=plant=7");
        Assert.Contains("plant", await kubectl.OkAsync("get", "configmap", "site", "-o", "yaml"), StringComparison.Ordinal);

        // The read-only kubeconfig reads, and is refused writes and Secrets with a clear Forbidden.
        var readOnly = new Kubectl("1.27", await portal.DownloadKubeconfigAsync(cluster, "read-only", _work));
        Assert.Contains("site", await readOnly.OkAsync("get", "configmaps"), StringComparison.Ordinal);
        var write = await readOnly.RunAsync(["create", "configmap", "nope", "--from-literal=a=b"]);
        Assert.NotEqual(0, write.ExitCode);
        Assert.Contains("forbidden", write.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("read-only", write.Stderr, StringComparison.Ordinal);
        Assert.Contains("forbidden", (await readOnly.RunAsync(["get", "secrets"])).Stderr, StringComparison.OrdinalIgnoreCase);

        // An agent joins with a join token issued for this cluster: its node is Ready in this cluster only.
        var (tokenId, token, install) = await portal.IssueJoinTokenAsync(cluster);
        Assert.Contains("/install.sh | sh -s - --token " + token, install, StringComparison.Ordinal);
        var tokenFile = Path.Combine(_work, "join-token");
        await File.WriteAllTextAsync(tokenFile, token);
        using var api = await AdminApi.OpenAsync(admin);
        await using var agent = new AgentProcess(BaseUrl, tokenFile, "tenant-node-1");
        agent.Start();
        await WaitReadyAsync(api, "tenant-node-1", agent);
        using (var defaultApi = await AdminApi.OpenAsync(server.KubeconfigPath))
        {
            Assert.Null(await defaultApi.GetAsync("api/v1/nodes/tenant-node-1"));
        }

        // Rotating the token: the old one joins nothing new, the new one does, the joined node keeps working
        // (it comes back after a restart with its node password).
        var rotated = await portal.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"api/v1/tenants/{portal.TenantId}/clusters/{cluster}/join-tokens/{tokenId}/rotate");
        var tokens = await portal.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"api/v1/tenants/{portal.TenantId}/clusters/{cluster}/join-tokens");
        Assert.Equal(rotated["id"]!.GetValue<string>(), Assert.Single(tokens["items"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.DoesNotContain(token, tokens.ToJsonString(), StringComparison.Ordinal);
        await using (var late = new AgentProcess(BaseUrl, tokenFile, "tenant-node-late"))
        {
            late.Start();
            Assert.Contains("401", await late.WaitForOutputAsync(static l => l.Contains("invalid join token", StringComparison.Ordinal), TimeSpan.FromSeconds(30)), StringComparison.Ordinal);
        }

        await agent.KillAsync();
        var restartedAt = agent.LineCount;
        agent.Start();
        await agent.WaitForOutputAsync(static l => l.Contains("is online", StringComparison.Ordinal), ReadyWithin, restartedAt);

        var newTokenFile = Path.Combine(_work, "join-token-2");
        await File.WriteAllTextAsync(newTokenFile, rotated["token"]!.GetValue<string>());
        await using (var second = new AgentProcess(BaseUrl, newTokenFile, "tenant-node-2"))
        {
            second.Start();
            await WaitReadyAsync(api, "tenant-node-2", second);
        }

        // Revoking the new token: no more joins.
        await portal.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"api/v1/tenants/{portal.TenantId}/clusters/{cluster}/join-tokens/{rotated["id"]!.GetValue<string>()}");
        await using (var refused = new AgentProcess(BaseUrl, newTokenFile, "tenant-node-3"))
        {
            refused.Start();
            await refused.WaitForOutputAsync(static l => l.Contains("invalid join token", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        }

        // Deleting the cluster removes its API, its tokens and its agents' sessions.
        await portal.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"api/v1/tenants/{portal.TenantId}/clusters/{cluster}");
        var after = await kubectl.RunAsync(["get", "namespaces"]);
        Assert.NotEqual(0, after.ExitCode);
        Assert.Contains("Unauthorized", after.Stderr, StringComparison.Ordinal);
        await agent.WaitForOutputAsync(static l => l.Contains("invalid join token", StringComparison.Ordinal), TimeSpan.FromSeconds(60), restartedAt);
        await portal.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"api/v1/tenants/{portal.TenantId}/clusters/{cluster}");
        Assert.Empty((await portal.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"api/v1/tenants/{portal.TenantId}/clusters"))["items"]!.AsArray());
        // A name is free again once its cluster is gone; the new cluster has a new id.
        Assert.NotEqual(cluster, await portal.CreateClusterAsync("plant-7"));

        // The audit log says who did what; it never holds a secret.
        var audit = await portal.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"api/v1/tenants/{portal.TenantId}/audit");
        var actions = audit["items"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).ToList();
        foreach (var action in new[] { "tenant.create", "cluster.create", "kubeconfig.issue", "join-token.create", "join-token.rotate", "join-token.revoke", "cluster.delete" })
        {
            Assert.Contains(action, actions);
        }

        Assert.All(audit["items"]!.AsArray(), e => Assert.Equal(portal.Email, e!["actor"]!.GetValue<string>()));
        Assert.DoesNotContain(token, audit.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signup_and_login_refuse_bad_input_with_clear_Status_errors()
    {
        var ca = await CaPemAsync();
        using var anonymous = new PortalClient(BaseUrl, ca);
        async Task<JsonObject> Refused(HttpStatusCode code, string path, JsonObject body, string message)
        {
            var status = await anonymous.ExpectAsync(code, HttpMethod.Post, path, body);
            Assert.Equal("Status", status["kind"]!.GetValue<string>());
            Assert.Contains(message, status["message"]!.GetValue<string>(), StringComparison.Ordinal);
            return status;
        }

        var email = NewEmail("input");
        await Refused(HttpStatusCode.BadRequest, "api/v1/signup", new JsonObject { ["email"] = "not-an-email", ["password"] = "long enough password", ["tenantName"] = "T" }, "email");
        await Refused(HttpStatusCode.BadRequest, "api/v1/signup", new JsonObject { ["email"] = "Ops <ops@example.com>", ["password"] = "long enough password", ["tenantName"] = "T" }, "email");
        await Refused(HttpStatusCode.BadRequest, "api/v1/signup", new JsonObject { ["email"] = email, ["password"] = "short", ["tenantName"] = "T" }, "at least 10");
        await Refused(HttpStatusCode.BadRequest, "api/v1/signup", new JsonObject { ["email"] = email, ["password"] = "long enough password", ["tenantName"] = " " }, "name");
        using (var response = await anonymous.SendAsync(HttpMethod.Post, "api/v1/signup"))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        }

        using var first = await PortalClient.SignUpAsync(BaseUrl, ca, email, password: "long enough password");
        // The same address in another case is the same account.
        await Refused(HttpStatusCode.Conflict, "api/v1/signup", new JsonObject { ["email"] = email.ToUpperInvariant(), ["password"] = "another long password", ["tenantName"] = "T" }, "already exists");

        await Refused(HttpStatusCode.Unauthorized, "api/v1/login", new JsonObject { ["email"] = email, ["password"] = "wrong password!!" }, "wrong email or password");
        await Refused(HttpStatusCode.Unauthorized, "api/v1/login", new JsonObject { ["email"] = NewEmail("nobody"), ["password"] = "long enough password" }, "wrong email or password");
        var me = await anonymous.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "api/v1/login", new JsonObject { ["email"] = " " + email.ToUpperInvariant(), ["password"] = "long enough password" });
        Assert.Equal(first.TenantId, me["tenants"]![0]!["id"]!.GetValue<string>());

        // Signing out ends the session.
        anonymous.Csrf = me["csrfToken"]!.GetValue<string>();
        await anonymous.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "api/v1/me");
        await anonymous.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, "api/v1/logout");
        await anonymous.ExpectAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "api/v1/me");
    }

    [Fact]
    public async Task A_state_change_without_the_session_csrf_token_is_refused_and_changes_nothing()
    {
        using var portal = await PortalClient.SignUpAsync(BaseUrl, await CaPemAsync(), NewEmail("csrf"));
        var csrf = portal.Csrf;
        portal.Csrf = null;
        var missing = await portal.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"api/v1/tenants/{portal.TenantId}/clusters", new JsonObject { ["name"] = "forged" });
        Assert.Contains("X-CSRF-Token", missing["message"]!.GetValue<string>(), StringComparison.Ordinal);
        portal.Csrf = new string('0', 64);
        await portal.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"api/v1/tenants/{portal.TenantId}/clusters", new JsonObject { ["name"] = "forged" });
        portal.Csrf = csrf;
        Assert.Empty((await portal.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"api/v1/tenants/{portal.TenantId}/clusters"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Roles_decide_what_a_member_may_do()
    {
        var ca = await CaPemAsync();
        using var owner = await PortalClient.SignUpAsync(BaseUrl, ca, NewEmail("owner"));
        using var viewer = await PortalClient.SignUpAsync(BaseUrl, ca, NewEmail("viewer"));
        using var admin = await PortalClient.SignUpAsync(BaseUrl, ca, NewEmail("admin"));
        var cluster = await owner.CreateClusterAsync("line-1");
        var tenant = owner.TenantId;

        await owner.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"api/v1/tenants/{tenant}/members", new JsonObject { ["email"] = viewer.Email, ["role"] = "viewer" });
        await owner.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"api/v1/tenants/{tenant}/members", new JsonObject { ["email"] = admin.Email, ["role"] = "admin" });
        await owner.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"api/v1/tenants/{tenant}/members", new JsonObject { ["email"] = admin.Email, ["role"] = "superuser" });
        await owner.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"api/v1/tenants/{tenant}/members", new JsonObject { ["email"] = NewEmail("ghost"), ["role"] = "viewer" });

        // A viewer sees the clusters and gets a read-only kubeconfig, nothing more.
        Assert.Single((await viewer.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"api/v1/tenants/{tenant}/clusters"))["items"]!.AsArray());
        await viewer.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"api/v1/tenants/{tenant}/clusters", new JsonObject { ["name"] = "viewer-made" });
        await viewer.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Delete, $"api/v1/tenants/{tenant}/clusters/{cluster}");
        await viewer.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, $"api/v1/tenants/{tenant}/clusters/{cluster}/kubeconfig?access=admin");
        await viewer.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"api/v1/tenants/{tenant}/clusters/{cluster}/join-tokens");
        await viewer.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, $"api/v1/tenants/{tenant}/audit");
        var readOnly = new Kubectl("1.33", await viewer.DownloadKubeconfigAsync(cluster, "read-only", _work, tenant));
        Assert.Contains("default", await readOnly.OkAsync("get", "namespaces"), StringComparison.Ordinal);
        Assert.NotEqual(0, (await readOnly.RunAsync(["delete", "namespace", "default"])).ExitCode);

        // An admin manages clusters and join tokens, not members or the audit log.
        var made = await admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"api/v1/tenants/{tenant}/clusters", new JsonObject { ["name"] = "line-2" });
        await admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"api/v1/tenants/{tenant}/clusters/{made["id"]!.GetValue<string>()}/join-tokens");
        await admin.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"api/v1/tenants/{tenant}/members", new JsonObject { ["email"] = admin.Email, ["role"] = "owner" });
        await admin.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, $"api/v1/tenants/{tenant}/audit");
        await admin.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"api/v1/tenants/{tenant}/clusters", new JsonObject { ["name"] = "line-2" });
        await admin.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"api/v1/tenants/{tenant}/clusters", new JsonObject { ["name"] = "Line_2" });

        // The last owner cannot leave or be demoted; removing a member takes their access away.
        var ownerId = (await owner.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "api/v1/me"))["account"]!["id"]!.GetValue<string>();
        await owner.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Delete, $"api/v1/tenants/{tenant}/members/{ownerId}");
        var viewerId = (await viewer.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "api/v1/me"))["account"]!["id"]!.GetValue<string>();
        await owner.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"api/v1/tenants/{tenant}/members/{viewerId}");
        await viewer.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"api/v1/tenants/{tenant}/clusters");

        var audit = (await owner.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"api/v1/tenants/{tenant}/audit"))["items"]!.AsArray();
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "cluster.create" && e["actor"]!.GetValue<string>() == admin.Email);
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "member.remove" && e["target"]!.GetValue<string>() == viewer.Email);
    }

    private static async Task WaitReadyAsync(AdminApi api, string node, AgentProcess agent)
    {
        try
        {
            await api.WaitForAsync("api/v1/nodes", n => n["metadata"]!["name"]!.GetValue<string>() == node && AdminApi.IsReady(n), ReadyWithin, $"node {node} Ready");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\nagent:\n" + agent.Output);
        }
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
