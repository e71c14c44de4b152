using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeCloud.Tunnel.Node;

namespace EdgeCloud.Server.NodeProxy;

/// <summary>
/// kubectl 1.30+'s exec transport: a WebSocket with the channel protocol of k8s.io/apimachinery wsstream. Every
/// message starts with its channel byte: 0 stdin, 1 stdout, 2 stderr, 3 error (the final Status JSON), 4 resize
/// ({"Width":..,"Height":..}); v5.channel.k8s.io adds 255 close, whose payload names the channel (0: stdin ended).
/// </summary>
internal sealed class WebSocketExecClient : IExecClient
{
    /// <summary>The subprotocols served, best first.</summary>
    public static readonly string[] Protocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

    private const byte CloseChannel = 255;

    private readonly WebSocket _socket;
    private readonly NodeExecOptions _options;

    private WebSocketExecClient(WebSocket socket, NodeExecOptions options)
    {
        _socket = socket;
        _options = options;
    }

    /// <summary>Completes the WebSocket handshake (RFC 6455, section 4.2.2) on the upgraded HTTP/1.1 connection.</summary>
    public static async Task<WebSocketExecClient> AcceptAsync(HttpContext context, string subProtocol, NodeExecOptions options) =>
        new(await StreamUpgrades.AcceptWebSocketAsync(context, subProtocol, TimeSpan.FromSeconds(30)), options);

    public async Task RelayInputAsync(ExecFrameWriter agent, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        var message = new ArrayBufferWriter<byte>();
        var atStart = true;
        var channel = (byte)0;
        var stdinOpen = _options.Stdin;
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (stdinOpen)
                {
                    await agent.WriteStdinEndAsync(cancellationToken);
                }

                return;
            }

            var data = buffer.AsMemory(0, result.Count);
            if (atStart && !data.IsEmpty)
            {
                channel = data.Span[0];
                data = data[1..];
                atStart = false;
            }

            if (channel == 0)
            {
                // Stdin goes on as it arrives, fragment by fragment.
                if (stdinOpen)
                {
                    await agent.WriteDataAsync(ExecChannel.Stdin, data, cancellationToken);
                }
            }
            else if (message.WrittenCount + data.Length <= 4096)
            {
                message.Write(data.Span);
            }

            if (!result.EndOfMessage)
            {
                continue;
            }

            if (channel == 4 && TryParseResize(message.WrittenSpan, out var columns, out var rows))
            {
                await agent.WriteResizeAsync(columns, rows, cancellationToken);
            }
            else if (channel == CloseChannel && message.WrittenSpan is [0, ..] && stdinOpen)
            {
                stdinOpen = false;
                await agent.WriteStdinEndAsync(cancellationToken);
            }

            message.ResetWrittenCount();
            atStart = true;
        }
    }

    public async ValueTask WriteOutputAsync(ExecChannel channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var message = ArrayPool<byte>.Shared.Rent(data.Length + 1);
        try
        {
            message[0] = (byte)channel;
            data.Span.CopyTo(message.AsSpan(1));
            await _socket.SendAsync(message.AsMemory(0, data.Length + 1), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(message);
        }
    }

    public async ValueTask FinishAsync(JsonObject status, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(status, ServerJsonContext.Default.JsonObject);
        await _socket.SendAsync((byte[])[3, .. json], WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Reads a TerminalSize document, {"Width":80,"Height":24}; anything else is ignored.</summary>
    internal static bool TryParseResize(ReadOnlySpan<byte> json, out int columns, out int rows)
    {
        columns = rows = 0;
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("Width", out var width) && width.TryGetInt32(out columns)
                && root.TryGetProperty("Height", out var height) && height.TryGetInt32(out rows))
            {
                return true;
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}
