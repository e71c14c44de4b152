using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using EdgeCloud.Server.Security;

namespace EdgeCloud.Server.Tests.Agents;

/// <summary>The cluster API with the admin kubeconfig's token, for reading state and waiting on it with watches (not polls).</summary>
public sealed class AdminApi : IDisposable
{
    private readonly HttpClient _client;

    private AdminApi(HttpClient client) => _client = client;

    public static async Task<AdminApi> OpenAsync(string kubeconfigPath)
    {
        var kubeconfig = await KubeconfigReader.ReadAsync(kubeconfigPath, CancellationToken.None);
        var client = new HttpClient(CaTrust.CreateHandler(X509Certificate2.CreateFromPem(kubeconfig.CertificateAuthorityPem)))
        {
            BaseAddress = new Uri(kubeconfig.Server.TrimEnd('/') + "/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", kubeconfig.Token);
        return new AdminApi(client);
    }

    public async Task<JsonObject?> GetAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>
    /// Lists <paramref name="collection"/> (e.g. "api/v1/nodes?fieldSelector=...") and watches it until some object
    /// satisfies <paramref name="predicate"/>; returns that object. Fails after <paramref name="timeout"/>.
    /// </summary>
    public async Task<JsonObject> WaitForAsync(string collection, Func<JsonObject, bool> predicate, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            var list = await GetAsync(collection) ?? throw new InvalidOperationException($"{collection} does not exist");
            if ((list["items"] as JsonArray)!.OfType<JsonObject>().FirstOrDefault(predicate) is { } found)
            {
                return found;
            }

            var separator = collection.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            var rv = list["metadata"]!["resourceVersion"]!.GetValue<string>();
            using var response = await _client.GetAsync($"{collection}{separator}watch=true&resourceVersion={rv}", HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token));
            while (await reader.ReadLineAsync(deadline.Token) is { } line)
            {
                var change = JsonNode.Parse(line)!.AsObject();
                if (change["type"]!.GetValue<string>() is "ADDED" or "MODIFIED" && change["object"] is JsonObject obj && predicate(obj))
                {
                    return obj;
                }
            }

            throw new InvalidOperationException($"the watch of {collection} ended before {what}");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>True when the node object has condition Ready=True.</summary>
    public static bool IsReady(JsonObject node) =>
        (node["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(static c => c["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True") == true;

    public void Dispose() => _client.Dispose();
}
