using System.Net;
using System.Text.Json.Nodes;

namespace EdgeCloud.LoadTests.Api;

/// <summary>
/// The Kubernetes API of the edgecloud executable started on 127.0.0.1 (SQLite, its own temp directory), driven
/// over HTTPS/2 by one connection per client, as kubectl and client-go connect.
/// </summary>
internal sealed class HttpsTarget : IApiBenchTarget
{
    private readonly EdgeCloudProcess _server;

    private HttpsTarget(EdgeCloudProcess server)
    {
        _server = server;
    }

    public string Name => "api";

    /// <summary>From process start to the "serving" line: certificates created, cluster and kubeconfig written, ready for kubectl.</summary>
    public TimeSpan Startup => _server.Startup;

    /// <summary>
    /// Starts the real edgecloud executable (its own process and GC settings, as deployed) on 127.0.0.1 with a
    /// free port and a temporary data directory; one client per writer plus one for the watch.
    /// </summary>
    public static async Task<HttpsTarget> StartAsync(int clients, CancellationToken cancellationToken) =>
        new(await EdgeCloudProcess.StartAsync("apibench-api", clients + 1, cancellationToken));

    public async Task<TimeSpan> SettleAsync(CancellationToken cancellationToken) =>
        (await ServerSettling.WaitUntilQuietAsync(_server, TimeProvider.System, cancellationToken)).Waited;

    public async Task PrepareNamespaceAsync(string ns, CancellationToken cancellationToken)
    {
        using var response = await Client(0).PostAsync("api/v1/namespaces", Json($$$"""{"metadata":{"name":"{{{ns}}}"}}"""), cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
        {
            throw new InvalidOperationException($"creating namespace {ns}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public async Task CreateAsync(int client, string ns, int index, CancellationToken cancellationToken)
    {
        using var response = await Client(client).PostAsync($"api/v1/namespaces/{ns}/configmaps", Json(ApiObjects.ConfigMapJson(index)), cancellationToken);
        await EnsureAsync(response, HttpStatusCode.Created, cancellationToken);
    }

    public async Task GetAsync(int client, string ns, int index, CancellationToken cancellationToken)
    {
        using var response = await Client(client).GetAsync($"api/v1/namespaces/{ns}/configmaps/{ApiObjects.Name(index)}", cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    public async Task<int> ListAsync(string ns, CancellationToken cancellationToken)
    {
        using var response = await Client(0).GetAsync($"api/v1/namespaces/{ns}/configmaps", cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
        var list = JsonNode.Parse(await response.Content.ReadAsStreamAsync(cancellationToken))!;
        return list["items"]!.AsArray().Count;
    }

    public async Task<IAsyncDisposable> WatchAsync(string ns, Action<string> seen, CancellationToken cancellationToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var response = await Client(_server.ClientCount - 1).GetAsync($"api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion=0", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
        var reader = Task.Run(async () =>
        {
            try
            {
                using var lines = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
                while (await lines.ReadLineAsync(stop.Token) is { } line)
                {
                    var change = JsonNode.Parse(line)!;
                    if (change["object"]?["metadata"]?["name"]?.GetValue<string>() is { } name)
                    {
                        seen(name);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);
        return new Stopper(stop, reader, response);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private HttpClient Client(int index) => _server.Client(index);

    private static StringContent Json(string body) => EdgeCloudProcess.Json(body);

    private static Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken) =>
        EdgeCloudProcess.EnsureAsync(response, expected, cancellationToken);

    private sealed class Stopper(CancellationTokenSource stop, Task reader, HttpResponseMessage response) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            response.Dispose();
            await reader;
            stop.Dispose();
        }
    }
}
