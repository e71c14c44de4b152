using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using EdgeCloud.Server.Security;
using EdgeCloud.Server.Tests.Agents;
using EdgeCloud.Server.Tests.EndToEnd;

namespace EdgeCloud.Server.Tests.Tenancy;

/// <summary>An edgecloud whose plans have small limits (a plans file of its own), so tests can reach them.</summary>
public sealed class SmallPlansServer : EdgeCloudProcess
{
    public SmallPlansServer()
        : base(["--plans", PlansFile, "--default-plan", "roomy"])
    {
    }

    private static string PlansFile { get; } = WritePlans();

    private static string WritePlans()
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgecloud-plans-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            [
              { "name": "roomy", "maxClusters": 10, "maxNodesPerCluster": 100, "maxObjectsPerCluster": 10000, "requestsPerSecond": 1000, "requestBurst": 2000, "maxWatchesPerCluster": 100 },
              { "name": "small", "maxClusters": 2, "maxNodesPerCluster": 1, "maxObjectsPerCluster": 40, "requestsPerSecond": 1000, "requestBurst": 2000, "maxWatchesPerCluster": 2 },
              { "name": "slow", "maxClusters": 10, "maxNodesPerCluster": 100, "maxObjectsPerCluster": 10000, "requestsPerSecond": 5, "requestBurst": 10, "maxWatchesPerCluster": 100 }
            ]
            """);
        return path;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(PlansFile);
    }
}

/// <summary>
/// Each plan limit enforced with a clear Status, and only on the tenant over it: clusters per tenant, nodes and
/// objects per cluster (403 exceeded quota), requests per second (429 with Retry-After), concurrent watches (429).
/// </summary>
public sealed class TenancyLimitsTests(SmallPlansServer server) : IClassFixture<SmallPlansServer>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("tenancy-limits-").FullName;

    private string BaseUrl => AgentProcess.ServerOf(server.ApiAddress);

    /// <summary>A signed-up tenant on <paramref name="plan"/> with one cluster and an admin client of its API.</summary>
    private async Task<TestTenant> TenantAsync(string plan)
    {
        var ca = (await KubeconfigReader.ReadAsync(server.KubeconfigPath, CancellationToken.None)).CertificateAuthorityPem;
        var portal = await PortalClient.SignUpAsync(BaseUrl, ca, $"{plan}-{Guid.NewGuid():N}"[..16] + "@example.com");
        if (plan != "roomy")
        {
            await portal.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"api/v1/tenants/{portal.TenantId}/plan", new JsonObject { ["plan"] = plan });
        }

        var cluster = await portal.CreateClusterAsync("site");
        var kubeconfig = KubeconfigReader.Parse(await File.ReadAllTextAsync(await portal.DownloadKubeconfigAsync(cluster, "admin", _work)));
        var api = new HttpClient(CaTrust.CreateHandler(X509Certificate2.CreateFromPem(ca))) { BaseAddress = new Uri($"{BaseUrl}/clusters/{cluster}/") };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", kubeconfig.Token);
        return new TestTenant(portal, api);
    }

    private sealed record TestTenant(PortalClient Portal, HttpClient Api) : IDisposable
    {
        public void Dispose()
        {
            Api.Dispose();
            Portal.Dispose();
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonObject> StatusOf(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    [Fact]
    public async Task The_plan_caps_clusters_per_tenant_and_an_unknown_plan_is_refused()
    {
        using var tenant = await TenantAsync("small");
        var portal = tenant.Portal;
        await portal.CreateClusterAsync("second");
        var refused = await portal.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"api/v1/tenants/{portal.TenantId}/clusters", new JsonObject { ["name"] = "third" });
        Assert.Contains("allows 2 clusters per tenant", refused["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, (await portal.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"api/v1/tenants/{portal.TenantId}/clusters"))["items"]!.AsArray().Count);
        var unknown = await portal.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"api/v1/tenants/{portal.TenantId}/plan", new JsonObject { ["plan"] = "platinum" });
        Assert.Contains("roomy, small, slow", unknown["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, (await portal.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "api/v1/plans"))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Nodes_and_objects_over_the_plan_are_refused_with_exceeded_quota_and_other_tenants_do_not_notice()
    {
        using var small = await TenantAsync("small");
        using var roomy = await TenantAsync("roomy");
        var smallApi = small.Api;
        var roomyApi = roomy.Api;

        using (var first = await smallApi.PostAsync("api/v1/nodes", Json("""{"metadata":{"name":"n1"}}""")))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        using (var second = await smallApi.PostAsync("api/v1/nodes", Json("""{"metadata":{"name":"n2"}}""")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
            var status = await StatusOf(second);
            Assert.Equal("Forbidden", status["reason"]!.GetValue<string>());
            Assert.Contains("exceeded quota", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("1 nodes per cluster", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var created = 0;
        JsonObject? refusal = null;
        for (var i = 0; i < 60 && refusal is null; i++)
        {
            using var response = await smallApi.PostAsync("api/v1/namespaces/default/configmaps", Json("{\"metadata\":{\"name\":\"cm-" + i + "\"}}"));
            if (response.StatusCode == HttpStatusCode.Created)
            {
                created++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                refusal = await StatusOf(response);
            }
        }

        Assert.NotNull(refusal);
        Assert.Contains("allows 40 objects per cluster", refusal["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.InRange(created, 1, 39);
        // Nothing was half-written: exactly the accepted ConfigMaps exist.
        var listed = JsonNode.Parse(await smallApi.GetStringAsync("api/v1/namespaces/default/configmaps"))!["items"]!.AsArray();
        Assert.Equal(created, listed.Count(item => item!["metadata"]!["name"]!.GetValue<string>().StartsWith("cm-", StringComparison.Ordinal)));
        // Reads still work over the quota.
        Assert.Contains("kube-system", await smallApi.GetStringAsync("api/v1/namespaces"), StringComparison.Ordinal);

        // The roomy tenant, on the same server, is not limited by the small one.
        for (var i = 0; i < 60; i++)
        {
            using var response = await roomyApi.PostAsync("api/v1/namespaces/default/configmaps", Json("{\"metadata\":{\"name\":\"cm-" + i + "\"}}"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        using var node2 = await roomyApi.PostAsync("api/v1/nodes", Json("""{"metadata":{"name":"n2"}}"""));
        Assert.Equal(HttpStatusCode.Created, node2.StatusCode);
    }

    [Fact]
    public async Task Requests_over_the_plan_rate_get_429_with_Retry_After_and_another_tenant_keeps_its_own_rate()
    {
        using var slow = await TenantAsync("slow");
        using var roomy = await TenantAsync("roomy");
        var slowApi = slow.Api;
        var roomyApi = roomy.Api;

        var ok = 0;
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 60 && limited is null; i++)
        {
            var response = await slowApi.GetAsync("api/v1/namespaces");
            if (response.IsSuccessStatusCode)
            {
                ok++;
                response.Dispose();
            }
            else
            {
                limited = response;
            }

            // The other tenant, interleaved, is never limited.
            using var other = await roomyApi.GetAsync("api/v1/namespaces");
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        Assert.NotNull(limited);
        using (limited)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {limited.Headers.RetryAfter}");
            var status = await StatusOf(limited);
            Assert.Equal("TooManyRequests", status["reason"]!.GetValue<string>());
            Assert.Contains("5 requests/s", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // The burst (10) went through before the limit.
        Assert.InRange(ok, 10, 59);
    }

    [Fact]
    public async Task Watches_beyond_the_plan_get_429_and_another_tenant_can_still_watch()
    {
        using var small = await TenantAsync("small");
        using var roomy = await TenantAsync("roomy");
        var smallApi = small.Api;
        var roomyApi = roomy.Api;

        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var watch = await smallApi.GetAsync("api/v1/namespaces/default/configmaps?watch=true", HttpCompletionOption.ResponseHeadersRead);
                Assert.Equal(HttpStatusCode.OK, watch.StatusCode);
                open.Add(watch);
            }

            using (var third = await smallApi.GetAsync("api/v1/namespaces/default/configmaps?watch=true", HttpCompletionOption.ResponseHeadersRead))
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
                Assert.Contains("2 watches open", (await StatusOf(third))["message"]!.GetValue<string>(), StringComparison.Ordinal);
            }

            // Plain reads are not watches: they still work.
            using (var list = await smallApi.GetAsync("api/v1/namespaces/default/configmaps"))
            {
                Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            }

            using var other = await roomyApi.GetAsync("api/v1/namespaces/default/configmaps?watch=true", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }
        finally
        {
            foreach (var watch in open)
            {
                watch.Dispose();
            }
        }
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
