using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EdgeCloud.Server.Security;

namespace EdgeCloud.LoadTests;

/// <summary>
/// The real edgecloud executable started as its own process (its own GC settings, as deployed) on 127.0.0.1 with a
/// free port and a temporary data directory (SQLite), and a pool of HTTPS/2 clients to it, one connection each, as
/// kubectl and client-go connect. Shared by the benchmarks that drive the server through its API.
/// </summary>
internal sealed class EdgeCloudProcess : IAsyncDisposable
{
    private readonly Process _server;
    private readonly string _directory;
    private readonly HttpClient[] _clients;

    private EdgeCloudProcess(Process server, string directory, Uri address, HttpClient[] clients, TimeSpan startup)
    {
        _server = server;
        _directory = directory;
        _clients = clients;
        Address = address;
        Startup = startup;
    }

    /// <summary>The cluster API address edgecloud printed (https://127.0.0.1:PORT/clusters/default/).</summary>
    public Uri Address { get; }

    /// <summary>The server's data directory: kubeconfig.yaml and agent-token are there.</summary>
    public string DataDirectory => _directory;

    /// <summary>The server's own process id.</summary>
    public int ProcessId => _server.Id;

    /// <summary>From process start to the "serving" line: certificates created, cluster and kubeconfig written, ready for kubectl.</summary>
    public TimeSpan Startup { get; }

    /// <summary>CPU time (user and system) the server process has used so far: with other work on the machine, per-operation CPU is steadier than wall-clock rates.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _server.Refresh();
            return _server.TotalProcessorTime;
        }
    }

    /// <summary>How many clients the pool holds.</summary>
    public int ClientCount => _clients.Length;

    /// <summary>Client <paramref name="index"/> of the pool; each has its own HTTP/2 connection.</summary>
    public HttpClient Client(int index) => _clients[index];

    /// <summary>
    /// Starts edgecloud with its data under a new temporary directory named after <paramref name="purpose"/>, waits
    /// until it serves (at most 60 s), and opens <paramref name="clients"/> clients with the token of its kubeconfig.
    /// </summary>
    public static async Task<EdgeCloudProcess> StartAsync(string purpose, int clients, CancellationToken cancellationToken, params string[] extraArguments)
    {
        var directory = Directory.CreateTempSubdirectory($"edgecloud-{purpose}-").FullName;
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "edgecloud"))
        {
            ArgumentList = { "server", "--data-dir", directory, "--listen", "127.0.0.1:0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in extraArguments)
        {
            start.ArgumentList.Add(argument);
        }

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
        var pool = Enumerable.Range(0, clients).Select(_ => NewClient(baseAddress, ca, kubeconfig.Token)).ToArray();
        return new EdgeCloudProcess(process, directory, baseAddress, pool, startup);
    }

    /// <summary>A JSON request body.</summary>
    public static StringContent Json(string body, string mediaType = "application/json") => new(body, Encoding.UTF8, mediaType);

    /// <summary>Throws with the method, URL and the server's answer unless the status is <paramref name="expected"/>.</summary>
    public static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
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

    private static HttpClient NewClient(Uri baseAddress, X509Certificate2 ca, string token)
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
}
