using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using EdgeCloud.Server.Security;

namespace EdgeCloud.LoadTests.Tenancy;

/// <summary>A signed-up tenant's session on the portal REST API: its cookie, its CSRF token, its tenant id.</summary>
internal sealed class PortalSession : IDisposable
{
    private readonly HttpClient _client;

    private PortalSession(HttpClient client, string tenant, string csrf)
    {
        _client = client;
        Tenant = tenant;
        Csrf = csrf;
    }

    public string Tenant { get; }

    private string Csrf { get; }

    /// <summary>Signs up a new account (and its tenant) on the server at <paramref name="baseAddress"/>.</summary>
    public static async Task<PortalSession> SignUpAsync(Uri baseAddress, X509Certificate2 ca, string email, CancellationToken cancellationToken)
    {
        var handler = CaTrust.CreateHandler(ca);
        handler.CookieContainer = new CookieContainer();
        handler.UseCookies = true;
        var client = new HttpClient(handler) { BaseAddress = baseAddress, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrHigher };
        var body = new JsonObject { ["email"] = email, ["password"] = "bench password, long enough", ["tenantName"] = email };
        using var response = await client.PostAsync("api/v1/signup", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);
        await EdgeCloudProcess.EnsureAsync(response, HttpStatusCode.Created, cancellationToken);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        return new PortalSession(client, answer["tenant"]!["id"]!.GetValue<string>(), answer["csrfToken"]!.GetValue<string>());
    }

    /// <summary>Moves the tenant to <paramref name="plan"/>.</summary>
    public async Task SetPlanAsync(string plan, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Put, $"api/v1/tenants/{Tenant}/plan", new JsonObject { ["plan"] = plan }, cancellationToken);
        await EdgeCloudProcess.EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
    }

    /// <summary>Creates a cluster; returns its id.</summary>
    public async Task<string> CreateClusterAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"api/v1/tenants/{Tenant}/clusters", new JsonObject { ["name"] = name }, cancellationToken);
        await EdgeCloudProcess.EnsureAsync(response, HttpStatusCode.Created, cancellationToken);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!["id"]!.GetValue<string>();
    }

    /// <summary>The admin token of a new kubeconfig of <paramref name="cluster"/>.</summary>
    public async Task<string> AdminTokenAsync(string cluster, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"api/v1/tenants/{Tenant}/clusters/{cluster}/kubeconfig?access=admin", null, cancellationToken);
        await EdgeCloudProcess.EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
        return KubeconfigReader.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).Token;
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-CSRF-Token", Csrf);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return _client.SendAsync(request, cancellationToken);
    }

    public void Dispose() => _client.Dispose();
}
