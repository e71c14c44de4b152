using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using EdgeCloud.Server.Security;

namespace EdgeCloud.LoadTests.Api;

/// <summary>
/// The Kubernetes API of the edgecloud executable started on 127.0.0.1 (SQLite, its own temp directory), driven
/// over HTTPS/2 by one connection per client, as kubectl and client-go connect.
/// </summary>
internal sealed class HttpsTarget : IApiBenchTarget
{
    private readonly Process _server;
    private readonly string _directory;
    private readonly HttpClient[] _clients;

    private HttpsTarget(Process server, string directory, HttpClient[] clients, TimeSpan startup)
    {
        _server = server;
        _directory = directory;
        _clients = clients;
        Startup = startup;
    }

    public string Name => "api";

    /// <summary>From process start to the "serving" line: certificates created, cluster and kubeconfig written, ready for kubectl.</summary>
    public TimeSpan Startup { get; }

    /// <summary>
    /// Starts the real edgecloud executable (its own process and GC settings, as deployed) on 127.0.0.1 with a
    /// free port and a temporary data directory.
    /// </summary>
    public static async Task<HttpsTarget> StartAsync(int clients, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("edgecloud-apibench-api-").FullName;
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "edgecloud"))
        {
            ArgumentList = { "server", "--data-dir", directory, "--listen", "127.0.0.1:0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("edgecloud did not start");
        _ = process.StandardError.ReadToEndAsync(cancellationToken);
        string? address = null;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            while (address is null && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                const string marker = "edgecloud: serving ";
                if (line.StartsWith(marker, StringComparison.Ordinal))
                {
                    address = line[marker.Length..].Split(' ')[0];
                }
            }
        }

        var startup = clock.Elapsed;
        if (address is null)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("edgecloud exited before serving");
        }

        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var kubeconfig = await KubeconfigReader.ReadAsync(Path.Combine(directory, "kubeconfig.yaml"), cancellationToken);
        var ca = X509Certificate2.CreateFromPem(kubeconfig.CertificateAuthorityPem);
        var baseAddress = new Uri(address.TrimEnd('/') + "/");
        var pool = Enumerable.Range(0, clients + 1).Select(_ => Client(baseAddress, ca, kubeconfig.Token)).ToArray();
        return new HttpsTarget(process, directory, pool, startup);
    }

    public async Task PrepareNamespaceAsync(string ns, CancellationToken cancellationToken)
    {
        using var response = await _clients[0].PostAsync("api/v1/namespaces", Json($$$"""{"metadata":{"name":"{{{ns}}}"}}"""), cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
        {
            throw new InvalidOperationException($"creating namespace {ns}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public async Task CreateAsync(int client, string ns, int index, CancellationToken cancellationToken)
    {
        using var response = await _clients[client].PostAsync($"api/v1/namespaces/{ns}/configmaps", Json(ApiObjects.ConfigMapJson(index)), cancellationToken);
        await EnsureAsync(response, HttpStatusCode.Created, cancellationToken);
    }

    public async Task GetAsync(int client, string ns, int index, CancellationToken cancellationToken)
    {
        using var response = await _clients[client].GetAsync($"api/v1/namespaces/{ns}/configmaps/{ApiObjects.Name(index)}", cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    public async Task<int> ListAsync(string ns, CancellationToken cancellationToken)
    {
        using var response = await _clients[0].GetAsync($"api/v1/namespaces/{ns}/configmaps", cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, cancellationToken);
        var list = JsonNode.Parse(await response.Content.ReadAsStreamAsync(cancellationToken))!;
        return list["items"]!.AsArray().Count;
    }

    public async Task<IAsyncDisposable> WatchAsync(string ns, Action<string> seen, CancellationToken cancellationToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var response = await _clients[^1].GetAsync($"api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion=0", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
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

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _server.Kill(entireProcessTree: true);
        await _server.WaitForExitAsync();
        _server.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static HttpClient Client(Uri baseAddress, X509Certificate2 ca, string token)
    {
        var handler = CaTrust.CreateHandler(ca);
        var client = new HttpClient(handler)
        {
            BaseAddress = baseAddress,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

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
