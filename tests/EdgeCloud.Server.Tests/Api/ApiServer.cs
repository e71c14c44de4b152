using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Server.Hosting;
using EdgeCloud.Server.Security;
using EdgeCloud.Store;

namespace EdgeCloud.Server.Tests.Api;

/// <summary>An in-process EdgeCloud server on 127.0.0.1:0 with a small history (so tests can compact past a revision), and HTTP clients that trust its CA.</summary>
public sealed class ApiServer : IAsyncLifetime
{
    private EdgeCloudServer? _server;

    /// <summary>The temporary data directory.</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "edgecloud-api-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The running server.</summary>
    internal EdgeCloudServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>The admin token of the default cluster.</summary>
    public string Token { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        _server = await EdgeCloudServer.StartAsync(
            new ServerOptions
            {
                DataDirectory = DataDirectory,
                ListenHost = "127.0.0.1",
                ListenPort = 0,
                StoreOptions = new RevisionedStoreOptions { HistoryRevisions = 20, CompactionInterval = TimeSpan.FromHours(1) },
            },
            CancellationToken.None);
        Token = (await KubeconfigReader.ReadAsync(Path.Combine(DataDirectory, "kubeconfig.yaml"), CancellationToken.None)).Token;
    }

    /// <summary>A client for the default cluster's API with the admin token (or <paramref name="token"/>; "" for none).</summary>
    public HttpClient Client(string? token = null, string cluster = "default")
    {
        var ca = X509Certificate2.CreateFromPem(Server.CaPem);
        var handler = CaTrust.CreateHandler(ca);
        var client = new HttpClient(handler) { BaseAddress = new Uri(Server.Address, $"/clusters/{cluster}/") };
        var bearer = token ?? Token;
        if (bearer.Length > 0)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
