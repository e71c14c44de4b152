using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeCloud.Agent.Cloud;

/// <summary>The Kubernetes API of the agent's cluster, over the tunnel, as JSON objects (the agent needs no typed client).</summary>
internal sealed class ClusterApi(HttpClient http, string cluster)
{
    /// <summary>The cluster this node belongs to.</summary>
    public string Cluster { get; } = cluster;

    /// <summary>Asks the cloud which cluster and node this session is (the join token names the cluster, not the agent).</summary>
    public static async Task<ClusterApi> IdentifyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("v1-edgecloud/node", cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || JsonNode.Parse(text)?["cluster"]?.GetValue<string>() is not { Length: > 0 } cluster)
        {
            throw new ClusterApiException((int)response.StatusCode, $"the cloud did not say which cluster this node is in: {text}");
        }

        return new ClusterApi(http, cluster);
    }

    /// <summary>GET; null on 404.</summary>
    public async Task<JsonObject?> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(Url(path), cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync(response, "GET", path, cancellationToken);
    }

    /// <summary>POST a new object; null on 409 AlreadyExists.</summary>
    public async Task<JsonObject?> CreateAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(Url(path), Json(body), cancellationToken);
        return response.StatusCode == HttpStatusCode.Conflict ? null : await ReadAsync(response, "POST", path, cancellationToken);
    }

    /// <summary>PUT (replace, optimistic on metadata.resourceVersion); null on 409 Conflict or 404.</summary>
    public async Task<JsonObject?> ReplaceAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsync(Url(path), Json(body), cancellationToken);
        return response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound ? null : await ReadAsync(response, "PUT", path, cancellationToken);
    }

    /// <summary>JSON merge patch; null on 404.</summary>
    public async Task<JsonObject?> MergePatchAsync(string path, JsonObject patch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, Url(path)) { Content = Json(patch, "application/merge-patch+json") };
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync(response, "PATCH", path, cancellationToken);
    }

    /// <summary>DELETE with a body of DeleteOptions; false when the object was already gone (404) or is another one (409 precondition).</summary>
    public async Task<bool> DeleteAsync(string path, JsonObject options, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, Url(path)) { Content = Json(options) };
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return false;
        }

        await ReadAsync(response, "DELETE", path, cancellationToken);
        return true;
    }

    /// <summary>
    /// A watch from <paramref name="resourceVersion"/>: each event as (type, object) until the server ends it.
    /// A 410 (too old) surfaces as an ERROR event, as the server sends it.
    /// </summary>
    public async IAsyncEnumerable<(string Type, JsonObject Object)> WatchAsync(string path, string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var url = Url(path) + $"{separator}watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}";
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await ReadAsync(response, "WATCH", path, cancellationToken);
            yield break;
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (JsonNode.Parse(line) is JsonObject change && change["type"]?.GetValue<string>() is { } type && change["object"] is JsonObject obj)
            {
                yield return (type, obj);
            }
        }
    }

    private string Url(string path) => $"clusters/{Cluster}/{path}";

    private static StringContent Json(JsonObject body, string mediaType = "application/json")
    {
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        return content;
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, string method, string path, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            string message;
            try
            {
                message = JsonNode.Parse(text)?["message"]?.GetValue<string>() ?? text;
            }
            catch (JsonException)
            {
                message = text;
            }

            throw new ClusterApiException((int)response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {message}");
        }

        return JsonNode.Parse(text) as JsonObject ?? throw new ClusterApiException((int)response.StatusCode, $"{method} {path}: the answer is not a JSON object");
    }
}
