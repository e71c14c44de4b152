using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using EdgeCloud.Server.Security;

namespace EdgeCloud.Server.Tests.Tenancy;

/// <summary>
/// A browser-like client of the portal REST API: its own cookie jar (the session cookie), the CSRF token the API
/// hands out sent back on every state change, and the server's CA trusted.
/// </summary>
public sealed class PortalClient : IDisposable
{
    private readonly HttpClient _client;
    private readonly CookieContainer _cookies = new();

    public PortalClient(string baseUrl, string caPem)
    {
        var handler = CaTrust.CreateHandler(X509Certificate2.CreateFromPem(caPem));
        handler.CookieContainer = _cookies;
        handler.UseCookies = true;
        _client = new HttpClient(handler) { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/") };
        BaseUrl = baseUrl.TrimEnd('/');
    }

    public string BaseUrl { get; }

    /// <summary>The CSRF token of the current session (sent as X-CSRF-Token), or null to send none.</summary>
    public string? Csrf { get; set; }

    /// <summary>The tenant created at signup.</summary>
    public string TenantId { get; private set; } = "";

    public string Email { get; private set; } = "";

    /// <summary>The session cookie's value (to hand to another client in an attack).</summary>
    public string? SessionCookie => _cookies.GetCookies(new Uri(BaseUrl))["ec_session"]?.Value;

    public static async Task<PortalClient> SignUpAsync(string baseUrl, string caPem, string email, string tenantName = "Plant Operations", string password = "correct horse battery staple")
    {
        var client = new PortalClient(baseUrl, caPem);
        using var response = await client.SendAsync(HttpMethod.Post, "api/v1/signup", new JsonObject { ["email"] = email, ["password"] = password, ["tenantName"] = tenantName });
        var body = await ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"signup answered {(int)response.StatusCode}: {body.ToJsonString()}");
        client.Csrf = body["csrfToken"]!.GetValue<string>();
        client.TenantId = body["tenant"]!["id"]!.GetValue<string>();
        client.Email = email;
        return client;
    }

    /// <summary>Sends a request with the cookie and (when set) the CSRF header; <paramref name="body"/> as JSON.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (Csrf is not null)
        {
            request.Headers.Add("X-CSRF-Token", Csrf);
        }

        return _client.SendAsync(request);
    }

    /// <summary>Sends and returns the status code and the JSON body (or an empty object).</summary>
    public async Task<(HttpStatusCode Code, JsonObject Body)> CallAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var response = await SendAsync(method, path, body);
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    /// <summary>Sends and asserts <paramref name="expected"/>; returns the JSON body.</summary>
    public async Task<JsonObject> ExpectAsync(HttpStatusCode expected, HttpMethod method, string path, JsonNode? body = null)
    {
        var (code, json) = await CallAsync(method, path, body);
        Assert.True(code == expected, $"{method} {path}: expected {(int)expected}, got {(int)code}: {json.ToJsonString()}");
        return json;
    }

    /// <summary>Creates a cluster in the signup tenant; returns its id.</summary>
    public async Task<string> CreateClusterAsync(string name) =>
        (await ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"api/v1/tenants/{TenantId}/clusters", new JsonObject { ["name"] = name }))["id"]!.GetValue<string>();

    /// <summary>Downloads a kubeconfig of <paramref name="cluster"/> to a file in <paramref name="directory"/>; returns its path.</summary>
    public async Task<string> DownloadKubeconfigAsync(string cluster, string access, string directory, string? tenant = null)
    {
        using var response = await SendAsync(HttpMethod.Get, $"api/v1/tenants/{tenant ?? TenantId}/clusters/{cluster}/kubeconfig?access={access}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"kubeconfig download answered {(int)response.StatusCode}: {text}");
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString() ?? response.Headers.GetValues("Content-Disposition").First(), StringComparison.Ordinal);
        var path = Path.Combine(directory, $"{cluster}-{access}-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>Issues a join token for <paramref name="cluster"/>; returns its id and secret.</summary>
    public async Task<(string Id, string Token, string InstallCommand)> IssueJoinTokenAsync(string cluster)
    {
        var body = await ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"api/v1/tenants/{TenantId}/clusters/{cluster}/join-tokens");
        return (body["id"]!.GetValue<string>(), body["token"]!.GetValue<string>(), body["installCommand"]!.GetValue<string>());
    }

    public static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : new JsonObject { ["text"] = text };
    }

    public void Dispose() => _client.Dispose();
}
