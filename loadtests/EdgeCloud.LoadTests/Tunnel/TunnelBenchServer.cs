using System.Buffers.Binary;
using System.Net.WebSockets;
using EdgeCloud.Tunnel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.LoadTests.Tunnel;

/// <summary>
/// The cloud side of the benchmark: Kestrel on 127.0.0.1 with the tunnel at /tunnel (peers name themselves in
/// X-Node) and a raw WebSocket at /raw, the baseline: <c>?mode=source</c> sends the byte count the client asks
/// for in 64 KiB messages, <c>?mode=hello</c> sends one byte.
/// </summary>
internal sealed class TunnelBenchServer : IAsyncDisposable
{
    public const int BlockSize = 64 * 1024;

    private readonly WebApplication _app;

    private TunnelBenchServer(WebApplication app, TunnelSessionRegistry registry, Uri baseUri)
    {
        _app = app;
        Registry = registry;
        BaseUri = baseUri;
    }

    public TunnelSessionRegistry Registry { get; }

    public Uri BaseUri { get; }

    public Uri TunnelUri => new(BaseUri, "/tunnel");

    public Uri RawUri(string mode) => new(BaseUri, "/raw?mode=" + mode);

    public static async Task<TunnelBenchServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var registry = new TunnelSessionRegistry();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.MapTunnel("/tunnel", new TunnelServerOptions
        {
            Authenticate = context => ValueTask.FromResult(context.Request.Headers["X-Node"].ToString() is { Length: > 0 } node
                ? TunnelAuthResult.Success(node)
                : TunnelAuthResult.Unauthorized("X-Node missing")),
            Registry = registry,
            Tunnel = new TunnelOptions { ShutdownTimeout = TimeSpan.FromSeconds(2) },
        });
        app.Map("/raw", RawAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TunnelBenchServer(app, registry, new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private static async Task RawAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.Zero });
        var token = context.RequestAborted;
        var block = new byte[BlockSize];
        if (context.Request.Query["mode"] == "hello")
        {
            await socket.SendAsync(block.AsMemory(0, 1), WebSocketMessageType.Binary, true, token);
        }
        else
        {
            // Each request is 8 bytes, the byte count to send back.
            while (true)
            {
                var request = new byte[8];
                var received = await socket.ReceiveAsync(request.AsMemory(), token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                for (var left = BinaryPrimitives.ReadInt64LittleEndian(request); left > 0; left -= BlockSize)
                {
                    await socket.SendAsync(block.AsMemory(0, (int)Math.Min(BlockSize, left)), WebSocketMessageType.Binary, true, token);
                }
            }
        }

        var drain = new byte[16];
        while (socket.State == WebSocketState.Open && (await socket.ReceiveAsync(drain.AsMemory(), token)).MessageType != WebSocketMessageType.Close)
        {
        }

        if (socket.State == WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, token);
        }
    }
}
