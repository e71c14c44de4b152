using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Tunnel.Tests;

/// <summary>
/// A real Kestrel on 127.0.0.1 with the tunnel endpoint at /tunnel. Peers authenticate with the header
/// <c>X-Node</c> (their identity); "forbidden" gets 403, no header 401.
/// </summary>
internal sealed class TunnelTestServer : IAsyncDisposable
{
    public const string NodeHeader = "X-Node";

    private readonly WebApplication _app;

    private TunnelTestServer(WebApplication app, TunnelSessionRegistry registry, Uri uri)
    {
        _app = app;
        Registry = registry;
        Uri = uri;
    }

    public TunnelSessionRegistry Registry { get; }

    public Uri Uri { get; }

    public int Port => Uri.Port;

    public static async Task<TunnelTestServer> StartAsync(TunnelStreamHandler? handler = null, TunnelOptions? tunnel = null, int port = 0, TunnelSessionRegistry? registry = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();
        registry ??= new TunnelSessionRegistry();
        app.MapTunnel("/tunnel", new TunnelServerOptions
        {
            Authenticate = Authenticate,
            StreamHandler = handler ?? TestHandlers.Echo,
            Registry = registry,
            Tunnel = tunnel ?? TestHandlers.Options(),
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var uri = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + "/tunnel");
        return new TunnelTestServer(app, registry, uri);
    }

    public Task StopAsync() => _app.StopAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private static ValueTask<TunnelAuthResult> Authenticate(HttpContext context)
    {
        var node = context.Request.Headers[NodeHeader].ToString();
        return ValueTask.FromResult(node switch
        {
            "" => TunnelAuthResult.Unauthorized("no node credentials"),
            "forbidden" => TunnelAuthResult.Forbidden("this node may not open a tunnel"),
            _ => TunnelAuthResult.Success(node),
        });
    }
}
