using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using EdgeCloud.Agent;
using EdgeCloud.Agent.Cloud;
using EdgeCloud.Agent.Join;
using EdgeCloud.Server.Security;
using EdgeCloud.Server.Tests.Agents;
using EdgeCloud.Server.Tests.EndToEnd;

namespace EdgeCloud.Server.Tests.Tenancy;

/// <summary>
/// Isolation between tenants, tried as attacks: tenant A's user session, kubeconfig tokens and node credentials
/// against tenant B's tenant and cluster, for every portal endpoint and every verb on every resource kind B's API
/// serves; path tricks; tokens of a deleted cluster. Every attempt is refused (401, 403 or 404) and B's state is
/// the same afterwards.
/// </summary>
public sealed class TenancyIsolationTests(EdgeCloudProcess server) : IClassFixture<EdgeCloudProcess>, IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("tenancy-isolation-").FullName;
    private string _ca = "";
    private PortalClient _a = null!;
    private PortalClient _b = null!;
    private string _clusterA = "";
    private string _clusterB = "";
    private HttpClient _adminA = null!;
    private HttpClient _readOnlyA = null!;
    private HttpClient _adminB = null!;

    private string BaseUrl => AgentProcess.ServerOf(server.ApiAddress);

    public async ValueTask InitializeAsync()
    {
        _ca = (await KubeconfigReader.ReadAsync(server.KubeconfigPath, CancellationToken.None)).CertificateAuthorityPem;
        _a = await PortalClient.SignUpAsync(BaseUrl, _ca, $"a-{Guid.NewGuid():N}"[..14] + "@tenant-a.example", "Tenant A");
        _b = await PortalClient.SignUpAsync(BaseUrl, _ca, $"b-{Guid.NewGuid():N}"[..14] + "@tenant-b.example", "Tenant B");
        _clusterA = await _a.CreateClusterAsync("factory");
        _clusterB = await _b.CreateClusterAsync("factory");
        _adminA = Client(await _a.DownloadKubeconfigAsync(_clusterA, "admin", _work));
        _readOnlyA = Client(await _a.DownloadKubeconfigAsync(_clusterA, "read-only", _work));
        _adminB = Client(await _b.DownloadKubeconfigAsync(_clusterB, "admin", _work));
        await _b.IssueJoinTokenAsync(_clusterB);

        // Something of B's worth stealing.
        await Ok(_adminB.PostAsync($"clusters/{_clusterB}/api/v1/namespaces/default/configmaps", Json("""{"metadata":{"name":"b-config"},"data":{"recipe":"b-private-recipe"}}""")));
        await Ok(_adminB.PostAsync($"clusters/{_clusterB}/api/v1/namespaces/default/secrets", Json("""{"metadata":{"name":"b-secret"},"stringData":{"password":"b-private-password"}}""")));
    }

    [Fact]
    public async Task Tenant_A_session_gets_404_on_every_portal_endpoint_of_tenant_B_and_changes_nothing()
    {
        var before = await SnapshotOfBAsync();
        var tokenId = (await _b.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"api/v1/tenants/{_b.TenantId}/clusters/{_clusterB}/join-tokens"))["items"]![0]!["id"]!.GetValue<string>();
        var bAccount = (await _b.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "api/v1/me"))["account"]!["id"]!.GetValue<string>();
        var endpoints = new (HttpMethod Method, string Path, JsonNode? Body)[]
        {
            (HttpMethod.Get, "", null),
            (HttpMethod.Get, "/members", null),
            (HttpMethod.Post, "/members", new JsonObject { ["email"] = _a.Email, ["role"] = "owner" }),
            (HttpMethod.Delete, $"/members/{bAccount}", null),
            (HttpMethod.Get, "/audit", null),
            (HttpMethod.Get, "/clusters", null),
            (HttpMethod.Post, "/clusters", new JsonObject { ["name"] = "intruder" }),
            (HttpMethod.Get, $"/clusters/{_clusterB}", null),
            (HttpMethod.Delete, $"/clusters/{_clusterB}", null),
            (HttpMethod.Get, $"/clusters/{_clusterB}/kubeconfig?access=admin", null),
            (HttpMethod.Get, $"/clusters/{_clusterB}/kubeconfig?access=read-only", null),
            (HttpMethod.Get, $"/clusters/{_clusterB}/join-tokens", null),
            (HttpMethod.Post, $"/clusters/{_clusterB}/join-tokens", null),
            (HttpMethod.Post, $"/clusters/{_clusterB}/join-tokens/{tokenId}/rotate", null),
            (HttpMethod.Delete, $"/clusters/{_clusterB}/join-tokens/{tokenId}", null),
        };

        foreach (var (method, path, body) in endpoints)
        {
            // B's tenant with A's session: no such tenant, as far as A can tell.
            var status = await _a.ExpectAsync(HttpStatusCode.NotFound, method, $"api/v1/tenants/{_b.TenantId}{path}", body);
            Assert.Equal("tenant not found", status["message"]!.GetValue<string>());
            if (path.StartsWith("/clusters/", StringComparison.Ordinal))
            {
                // B's cluster under A's own tenant (where A is owner): no such cluster.
                var inOwn = await _a.ExpectAsync(HttpStatusCode.NotFound, method, $"api/v1/tenants/{_a.TenantId}{path}", body);
                Assert.Equal("cluster not found", inOwn["message"]!.GetValue<string>());
            }
        }

        // Tricks on the tenant and cluster ids: other case, padding, encoded characters, dot segments.
        foreach (var trick in new[] { _b.TenantId.ToUpperInvariant(), " " + _b.TenantId, _b.TenantId + "%20", _b.TenantId + "%2F..", $"{_a.TenantId}/../{_b.TenantId}", _b.TenantId + "%00" })
        {
            var (code, _) = await _a.CallAsync(HttpMethod.Get, $"api/v1/tenants/{trick}/clusters");
            Assert.True(code is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"tenant path trick {trick}: {(int)code}");
        }

        foreach (var trick in new[] { _clusterB.ToUpperInvariant(), _clusterB + "%20", "%20" + _clusterB, _clusterB + "%2F", $"{_clusterA}/../{_clusterB}" })
        {
            var (code, _) = await _a.CallAsync(HttpMethod.Get, $"api/v1/tenants/{_a.TenantId}/clusters/{trick}/kubeconfig");
            Assert.True(code is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"cluster path trick {trick}: {(int)code}");
        }

        // A's session cookie is no credential for a cluster API.
        using var cookieOnly = new HttpClient(CaTrust.CreateHandler(X509Certificate2.CreateFromPem(_ca))) { BaseAddress = new Uri(BaseUrl + "/") };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"clusters/{_clusterB}/api/v1/namespaces/default/configmaps");
        request.Headers.Add("Cookie", "ec_session=" + _a.SessionCookie);
        using (var response = await cookieOnly.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(before, await SnapshotOfBAsync());
        var audit = (await _b.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"api/v1/tenants/{_b.TenantId}/audit"))["items"]!.AsArray();
        Assert.DoesNotContain(audit, e => e!["actor"]!.GetValue<string>() == _a.Email);
    }

    [Fact]
    public async Task Tenant_A_kubeconfig_tokens_are_refused_for_every_verb_on_every_resource_of_tenant_B()
    {
        var before = await SnapshotOfBAsync();
        var resources = await DiscoverAsync(_adminB, _clusterB);
        Assert.True(resources.Count >= 12, $"discovery found only {resources.Count} resources");
        var attempts = 0;
        foreach (var (prefix, resource, namespaced) in resources)
        {
            var collection = $"clusters/{_clusterB}/{prefix}/{(namespaced ? "namespaces/default/" : "")}{resource}";
            var item = collection + "/b-config";
            var requests = new Func<HttpClient, Task<HttpResponseMessage>>[]
            {
                c => c.GetAsync(collection),
                c => c.GetAsync(collection + "?watch=true&timeoutSeconds=1"),
                c => c.GetAsync(item),
                c => c.PostAsync(collection, Json("""{"metadata":{"name":"intruder"}}""")),
                c => c.PutAsync(item, Json("""{"metadata":{"name":"b-config"}}""")),
                c => c.PatchAsync(item, new StringContent("""{"metadata":{"labels":{"owned":"by-a"}}}""", Encoding.UTF8, "application/merge-patch+json")),
                c => c.DeleteAsync(item),
                c => c.DeleteAsync(collection),
                c => c.GetAsync(item + "/status"),
                c => c.PutAsync(item + "/status", Json("""{"metadata":{"name":"b-config"}}""")),
            };
            foreach (var send in requests)
            {
                foreach (var client in new[] { _adminA, _readOnlyA })
                {
                    using var response = await send(client);
                    attempts++;
                    var text = await response.Content.ReadAsStringAsync();
                    Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{resource}: {response.RequestMessage!.Method} {response.RequestMessage.RequestUri} answered {(int)response.StatusCode}: {text}");
                    Assert.DoesNotContain("b-private", text, StringComparison.Ordinal);
                }
            }
        }

        // Pod streams too.
        foreach (var path in new[] { "api/v1/namespaces/default/pods/x/log", "api/v1/namespaces/default/pods/x/exec?command=id&stdout=true" })
        {
            using var response = await _adminA.GetAsync($"clusters/{_clusterB}/{path}");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.True(attempts >= 240, $"{attempts} attempts");
        Assert.Equal(before, await SnapshotOfBAsync());
    }

    [Fact]
    public async Task Path_tricks_with_tenant_A_token_reach_nothing_of_tenant_B()
    {
        var tricks = new[]
        {
            $"clusters/{_clusterB.ToUpperInvariant()}/api/v1/namespaces/default/configmaps",
            $"clusters/%20{_clusterB}/api/v1/namespaces/default/configmaps",
            $"clusters/{_clusterB}%20/api/v1/namespaces/default/configmaps",
            $"clusters/{_clusterA}%2F..%2F{_clusterB}/api/v1/namespaces/default/configmaps",
            $"clusters/{_clusterA}/../{_clusterB}/api/v1/namespaces/default/configmaps",
            $"clusters/{_clusterA}/api/v1/../../../{_clusterB}/api/v1/namespaces/default/configmaps",
            $"clusters/{_clusterB}%00/api/v1/namespaces/default/configmaps",
            $"clusters//{_clusterB}/api/v1/namespaces/default/configmaps",
            $"Clusters/{_clusterB}/api/v1/namespaces/default/configmaps",
        };
        foreach (var trick in tricks)
        {
            using var response = await _adminA.GetAsync(trick);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode is 400 or 401 or 403 or 404, $"{trick}: {(int)response.StatusCode} {text}");
            Assert.DoesNotContain("b-private", text, StringComparison.Ordinal);
            Assert.DoesNotContain("b-config", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Node_credentials_of_tenant_A_reach_nothing_of_tenant_B_and_A_join_token_joins_only_A()
    {
        var (_, joinToken, _) = await _a.IssueJoinTokenAsync(_clusterA);
        var dataDirectory = Directory.CreateTempSubdirectory("isolation-agent-").FullName;
        try
        {
            var options = new AgentOptions { Servers = [new Uri(BaseUrl)], Token = joinToken, NodeName = "a-node", DataDirectory = dataDirectory };
            var token = JoinToken.Parse(options.Token, out _)!;
            var ct = TestContext.Current.CancellationToken;
            var trust = await ServerTrust.LoadOrPinAsync(options.PinnedCaPath, token, options.Servers, ct);
            var password = await NodePassword.LoadOrCreateAsync(options.NodePasswordPath, ct);
            var joined = new JoinedCluster(options.JoinedClusterPath);
            await using (var connection = new CloudConnection(options, token, password, joined, trust, null, null, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance))
            {
                connection.Start();
                var api = await ClusterApi.IdentifyAsync(connection.Http, ct);
                Assert.Equal(_clusterA, api.Cluster);
                await joined.RememberAsync(api.Cluster, ct);
                foreach (var (method, path) in new[]
                {
                    (HttpMethod.Get, "api/v1/namespaces/default/configmaps/b-config"),
                    (HttpMethod.Get, "api/v1/namespaces/default/secrets/b-secret"),
                    (HttpMethod.Get, "api/v1/pods"),
                    (HttpMethod.Post, "api/v1/nodes"),
                    (HttpMethod.Get, "api/v1/nodes/a-node"),
                })
                {
                    using var request = new HttpRequestMessage(method, $"clusters/{_clusterB}/{path}") { Content = method == HttpMethod.Post ? Json("""{"metadata":{"name":"a-node"}}""") : null };
                    using var response = await connection.Http.SendAsync(request, ct);
                    Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"node credentials: {method} {path} on B answered {(int)response.StatusCode}");
                }
            }

            // The same agent claiming cluster B at the handshake with A's join token is refused.
            await File.WriteAllTextAsync(options.JoinedClusterPath, _clusterB);
            var tokenFile = Path.Combine(_work, "a-token");
            await File.WriteAllTextAsync(tokenFile, joinToken);
            await using var impostor = new AgentProcess(BaseUrl, tokenFile, "a-node");
            Directory.CreateDirectory(impostor.DataDirectory);
            foreach (var file in Directory.GetFiles(dataDirectory))
            {
                File.Copy(file, Path.Combine(impostor.DataDirectory, Path.GetFileName(file)));
            }

            impostor.Start();
            var refusal = await impostor.WaitForOutputAsync(static l => l.Contains("the join token is for another cluster", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            Assert.Contains("403", refusal, StringComparison.Ordinal);
            using var nodes = await _adminB.GetAsync($"clusters/{_clusterB}/api/v1/nodes");
            Assert.DoesNotContain("a-node", await nodes.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Tokens_of_a_deleted_cluster_are_refused_everywhere()
    {
        var doomed = await _a.CreateClusterAsync("doomed");
        using var admin = Client(await _a.DownloadKubeconfigAsync(doomed, "admin", _work));
        await Ok(admin.GetAsync($"clusters/{doomed}/api/v1/namespaces"));
        await _a.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"api/v1/tenants/{_a.TenantId}/clusters/{doomed}");
        foreach (var cluster in new[] { doomed, _clusterA, _clusterB })
        {
            using var response = await admin.GetAsync($"clusters/{cluster}/api/v1/namespaces");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    /// <summary>What tenant B has: its clusters, join tokens, members, and the objects in its cluster.</summary>
    private async Task<string> SnapshotOfBAsync()
    {
        var clusters = await _b.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"api/v1/tenants/{_b.TenantId}/clusters");
        var tokens = await _b.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"api/v1/tenants/{_b.TenantId}/clusters/{_clusterB}/join-tokens");
        var members = await _b.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"api/v1/tenants/{_b.TenantId}/members");
        var config = await (await _adminB.GetAsync($"clusters/{_clusterB}/api/v1/namespaces/default/configmaps/b-config")).Content.ReadAsStringAsync();
        var secret = await (await _adminB.GetAsync($"clusters/{_clusterB}/api/v1/namespaces/default/secrets/b-secret")).Content.ReadAsStringAsync();
        var namespaces = JsonNode.Parse(await (await _adminB.GetAsync($"clusters/{_clusterB}/api/v1/namespaces")).Content.ReadAsStringAsync())!["items"]!.AsArray().Select(n => n!["metadata"]!["name"]!.GetValue<string>());
        return string.Join("\n", clusters.ToJsonString(), tokens.ToJsonString(), members.ToJsonString(), config, secret, string.Join(",", namespaces));
    }

    /// <summary>Every resource (not subresource) B's API serves: the group-version path, the plural, whether namespaced.</summary>
    private static async Task<List<(string Prefix, string Resource, bool Namespaced)>> DiscoverAsync(HttpClient client, string cluster)
    {
        var found = new List<(string, string, bool)>();
        async Task AddAsync(string prefix)
        {
            var list = JsonNode.Parse(await (await client.GetAsync($"clusters/{cluster}/{prefix}")).Content.ReadAsStringAsync())!;
            foreach (var resource in list["resources"]!.AsArray())
            {
                var name = resource!["name"]!.GetValue<string>();
                if (!name.Contains('/', StringComparison.Ordinal))
                {
                    found.Add((prefix, name, resource["namespaced"]!.GetValue<bool>()));
                }
            }
        }

        await AddAsync("api/v1");
        var groups = JsonNode.Parse(await (await client.GetAsync($"clusters/{cluster}/apis")).Content.ReadAsStringAsync())!["groups"]!.AsArray();
        foreach (var group in groups)
        {
            await AddAsync("apis/" + group!["preferredVersion"]!["groupVersion"]!.GetValue<string>());
        }

        return found;
    }

    private HttpClient Client(string kubeconfigPath)
    {
        var kubeconfig = KubeconfigReader.Parse(File.ReadAllText(kubeconfigPath));
        var client = new HttpClient(CaTrust.CreateHandler(X509Certificate2.CreateFromPem(_ca))) { BaseAddress = new Uri(BaseUrl + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", kubeconfig.Token);
        return client;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task Ok(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public ValueTask DisposeAsync()
    {
        _a.Dispose();
        _b.Dispose();
        _adminA.Dispose();
        _readOnlyA.Dispose();
        _adminB.Dispose();
        Directory.Delete(_work, recursive: true);
        return ValueTask.CompletedTask;
    }
}
