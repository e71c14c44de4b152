using System.Net;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Server.Api;
using EdgeCloud.Server.NodeProxy;
using EdgeCloud.Server.Nodes;
using EdgeCloud.Server.Portal;
using EdgeCloud.Server.Security;
using EdgeCloud.Store;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EdgeCloud.Server.Hosting;

/// <summary>
/// A running control plane: the datastore, the HTTPS endpoint serving every cluster's Kubernetes API under
/// /clusters/{cluster}/, and the first-start bootstrap (certificates, the default cluster, the admin kubeconfig).
/// </summary>
internal sealed class EdgeCloudServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RevisionedStore _store;

    private EdgeCloudServer(WebApplication app, RevisionedStore store, Uri address)
    {
        _app = app;
        _store = store;
        Address = address;
    }

    /// <summary>The base URL actually bound, e.g. https://127.0.0.1:6443.</summary>
    public Uri Address { get; }

    /// <summary>The datastore (tests compact it to provoke 410 Expired).</summary>
    public RevisionedStore Store => _store;

    /// <summary>Where the tunnel endpoint registers the agents' sessions (tests wait there for an agent to connect).</summary>
    internal Nodes.NodeTunnels NodeTunnels => _app.Services.GetRequiredService<Nodes.NodeTunnels>();

    /// <summary>The CA certificate (PEM) clients must trust.</summary>
    public string CaPem { get; private init; } = "";

    /// <summary>The default cluster's API URL, as written in the kubeconfig.</summary>
    public Uri ApiAddress => new(Address, "/clusters/" + ServerBootstrap.DefaultCluster);

    /// <summary>Opens the datastore, binds the listen address and bootstraps; returns once kubectl can connect.</summary>
    public static async Task<EdgeCloudServer> StartAsync(ServerOptions options, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var tls = await ServerTls.LoadOrCreateAsync(options, cancellationToken);
        var store = await OpenStoreAsync(options, cancellationToken);
        try
        {
            var app = Build(options, store, tls);
            await app.StartAsync(cancellationToken);
            var address = BoundAddress(app, options);
            var bootstrap = app.Services.GetRequiredService<ServerBootstrap>();
            await bootstrap.RunAsync(options, address, tls.CaPem, cancellationToken);
            return new EdgeCloudServer(app, store, address) { CaPem = tls.CaPem };
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>Completes when the host is asked to stop (SIGTERM, Ctrl+C) or <paramref name="cancellationToken"/> fires.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        await _store.DisposeAsync();
    }

    private static async Task<RevisionedStore> OpenStoreAsync(ServerOptions options, CancellationToken cancellationToken)
    {
        if (options.Datastore == "sqlite")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(options.SqlitePath)!);
            return await RevisionedStore.OpenSqliteAsync(options.SqlitePath, options: options.StoreOptions, cancellationToken: cancellationToken);
        }

        return await RevisionedStore.OpenPostgresAsync(options.Datastore, options.StoreOptions, cancellationToken: cancellationToken);
    }

    private static WebApplication Build(ServerOptions options, RevisionedStore store, ServerTls tls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = ResourceHandler.MaxBodyBytes;
            kestrel.Listen(ListenAddress(options.ListenHost), options.ListenPort, endpoint =>
            {
                // HTTP/1.1 stays on: exec and port-forward upgrade connections, which HTTP/2 cannot.
                endpoint.Protocols = HttpProtocols.Http1AndHttp2;
                endpoint.UseHttps(tls.ServingCertificate);
            });
            // Agents' API calls arrive as streams of their tunnel sessions (Nodes/TunnelApiTransport): plain
            // HTTP/1.1 inside the TLS WebSocket, one stream per connection.
            kestrel.Listen(Nodes.TunnelApiEndPoint.Instance, endpoint => endpoint.Protocols = HttpProtocols.Http1);
        });
        var services = builder.Services;
        services.AddSingleton<IRevisionedStore>(store);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ResourceStore>();
        services.AddSingleton<BearerTokens>();
        services.AddSingleton(new InflightLimits(options.MaxRequestsInflight));
        services.AddSingleton<ClusterKinds>();
        services.AddSingleton<CustomResourceDefinitions>();
        services.AddSingleton<TokenRequests>();
        services.AddSingleton<ActiveNamespaces>();
        services.AddSingleton<ResourceHandler>();
        services.AddSingleton<ServerBootstrap>();
        services.AddSingleton(tls);
        services.AddSingleton<Nodes.NodeTunnels>();
        services.AddSingleton<Nodes.JoinTokens>();
        services.AddSingleton<Nodes.NodePasswords>();
        services.AddSingleton<Nodes.NodeAuthorizer>();
        services.AddHostedService<Nodes.NodeHeartbeats>();
        services.AddSingleton<Nodes.TunnelApiTransport>();
        services.AddSingleton<Microsoft.AspNetCore.Connections.IConnectionListenerFactory>(static provider => provider.GetRequiredService<Nodes.TunnelApiTransport>());
        services.AddNodeProxy();
        services.AddPortal();
        services.AddSingleton(options.Plans);
        services.AddSingleton(options.Controllers);
        services.AddSingleton(static provider => ClusterControllers.CreateManager(provider));

        var app = builder.Build();
        app.UseRouting();
        app.UseMiddleware<ClusterApiMiddleware>();
        var clusters = app.MapGroup("/clusters/{cluster}");
        clusters.MapDiscoveryApi();
        clusters.MapResourceApi();
        clusters.MapNodeProxyApi();
        clusters.MapOpenApiApi();
        app.MapGet("/healthz", static () => "ok");
        // The CA bundle, unauthenticated as K3s serves it: a joining agent checks it against the hash in its token.
        app.MapGet("/cacerts", static (ServerTls tls) => Results.Text(tls.CaPem, "application/x-pem-file"));
        app.MapAgentTunnel();
        app.MapPortalApi();
        app.MapPortalPages();
        Install.AgentInstallApi.MapAgentInstall(app, options.AgentBinaries);
        return app;
    }

    private static IPAddress ListenAddress(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        _ when IPAddress.TryParse(host, out var ip) => ip,
        _ => Dns.GetHostAddresses(host).FirstOrDefault() ?? throw new InvalidOperationException($"--listen host \"{host}\" does not resolve to an address"),
    };

    private static Uri BoundAddress(WebApplication app, ServerOptions options)
    {
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(bound.Replace("://+", "://localhost", StringComparison.Ordinal)).Port;
        // A wildcard listen address is not a place to connect to; the kubeconfig names loopback then.
        var host = options.ListenHost is "0.0.0.0" or "::" ? "127.0.0.1" : options.ListenHost;
        var authority = IPAddress.TryParse(host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
        return new Uri($"https://{authority}:{port}");
    }
}
