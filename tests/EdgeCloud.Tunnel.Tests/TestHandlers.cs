using System.Net.WebSockets;

namespace EdgeCloud.Tunnel.Tests;

/// <summary>Stream handlers and client helpers shared by the tests.</summary>
internal static class TestHandlers
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>Options with a short close, so a test that leaves streams behind does not wait long.</summary>
    public static TunnelOptions Options() => new() { ShutdownTimeout = TimeSpan.FromSeconds(2), CloseTimeout = TimeSpan.FromSeconds(2) };

    /// <summary>Targets "refuse:REASON" are refused with REASON; everything else is echoed until the opener half-closes.</summary>
    public static async Task Echo(TunnelIncomingStream incoming, CancellationToken cancellationToken)
    {
        if (incoming.Target.StartsWith("refuse:", StringComparison.Ordinal))
        {
            incoming.Refuse(incoming.Target["refuse:".Length..]);
            return;
        }

        var stream = incoming.Accept();
        await stream.CopyToAsync(stream, cancellationToken);
        await stream.CompleteWritesAsync(cancellationToken);
    }

    public static TunnelClient Client(Uri endpoint, string node, TunnelStreamHandler? handler = null, Func<TunnelSession, CancellationToken, Task>? established = null, TunnelOptions? tunnel = null, params Uri[] more)
    {
        var client = new TunnelClient(new TunnelClientOptions
        {
            Endpoints = [endpoint, .. more],
            ConfigureWebSocket = o => o.SetRequestHeader(TunnelTestServer.NodeHeader, node),
            StreamHandler = handler,
            SessionEstablished = established,
            Tunnel = tunnel ?? Options(),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
        client.Start();
        return client;
    }

    /// <summary>A raw WebSocket to the endpoint, without the tunnel on top.</summary>
    public static async Task<ClientWebSocket> RawAsync(Uri endpoint, string? node, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (node is not null)
        {
            socket.Options.SetRequestHeader(TunnelTestServer.NodeHeader, node);
        }

        await socket.ConnectAsync(endpoint, cancellationToken);
        return socket;
    }

    /// <summary>A sink: reads the stream to its end, then answers how many bytes it read (8 bytes, little-endian).</summary>
    public static async Task AnswerByteCountAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += n;
        }

        await stream.WriteAsync(BitConverter.GetBytes(total), cancellationToken);
    }

    public static async Task<byte[]> ReadToEndAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory, cancellationToken);
        return memory.ToArray();
    }

    public static async Task ReadExactlyAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken) =>
        await stream.ReadExactlyAsync(buffer, cancellationToken);
}
