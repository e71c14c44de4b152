using System.Buffers.Binary;
using System.Net.WebSockets;

namespace EdgeCloud.LoadTests.Tunnel;

/// <summary>The baseline: a plain WebSocket on the same loopback and Kestrel, server to client as the tunnel's cloud-to-agent streams.</summary>
internal sealed class RawWebSocketPath(TunnelBenchServer server) : IBenchPath
{
    public string Name => "raw WebSocket";

    public async Task TransferAsync(long bytes, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(server.RawUri("source"), cancellationToken);
        var request = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(request, bytes);
        await socket.SendAsync(request, WebSocketMessageType.Binary, true, cancellationToken);
        var buffer = new byte[TunnelBenchServer.BlockSize];
        for (long received = 0; received < bytes;)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
            received += result.Count;
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
    }

    public async Task OpenToFirstByteAsync(CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(server.RawUri("hello"), cancellationToken);
        var one = new byte[1];
        await socket.ReceiveAsync(one.AsMemory(), cancellationToken);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
    }

    private static async Task<ClientWebSocket> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(uri, cancellationToken);
        return socket;
    }
}
