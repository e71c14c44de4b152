using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace EdgeCloud.Tunnel.Tests;

/// <summary>
/// How the sender packs frames into WebSocket messages. Bulk through Kestrel on loopback moved 1.2–1.5 times slower
/// in messages of 128 KiB and more (see TunnelSession.Writing.cs), so a sender must stay under that, and still pack
/// several streams' frames into one message when many are busy.
/// </summary>
public sealed class MessageSizeTests
{
    private const int MessageLimit = 128 * 1024;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bulk_on_one_and_on_many_streams_goes_in_messages_under_128_KiB()
    {
        await using var pair = await SessionPair.StartAsync();

        // One stream written in 1 MiB writes, then 16 streams at once in 64 KiB writes.
        await SendAsync(pair, streams: 1, writeSize: 1 << 20, writes: 4);
        var single = pair.Recorder.TakeSizes();
        await SendAsync(pair, streams: 16, writeSize: 64 * 1024, writes: 16);
        var many = pair.Recorder.TakeSizes();

        Assert.All(single.Concat(many), size => Assert.True(size < MessageLimit, $"a message of {size} bytes"));
        // Bulk fills its messages: 4 MiB went in far fewer messages than 64 KiB frames would need alone.
        Assert.True(single.Sum() >= 4 << 20 && single.Count < 4 * 16, $"{single.Count} messages for {single.Sum()} bytes");
        Assert.True(many.Max() > 64 * 1024 + 64, $"the largest message with 16 busy streams was {many.Max()} bytes: frames of several streams were not packed together");
    }

    /// <summary>Opens the streams at once; each writes its bytes and the peer's sink answers how many it read.</summary>
    private static async Task SendAsync(SessionPair pair, int streams, int writeSize, int writes)
    {
        var block = new byte[writeSize];
        await Task.WhenAll(Enumerable.Range(0, streams).Select(async _ =>
        {
            await using var stream = await pair.Sender.OpenStreamAsync("sink", Token);
            for (var i = 0; i < writes; i++)
            {
                await stream.WriteAsync(block, Token);
            }

            await stream.CompleteWritesAsync(Token);
            var count = new byte[8];
            await stream.ReadExactlyAsync(count, Token);
            Assert.Equal((long)writeSize * writes, BitConverter.ToInt64(count));
        }));
    }

    /// <summary>Two sessions over a real loopback TCP connection, the sender's WebSocket recording what it sends.</summary>
    private sealed class SessionPair : IAsyncDisposable
    {
        private SessionPair(TunnelSession sender, TunnelSession receiver, RecordingWebSocket recorder)
        {
            Sender = sender;
            Receiver = receiver;
            Recorder = recorder;
        }

        public TunnelSession Sender { get; }

        public TunnelSession Receiver { get; }

        public RecordingWebSocket Recorder { get; }

        public static async Task<SessionPair> StartAsync()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, Token);
            var server = await listener.AcceptTcpClientAsync(Token);
            var recorder = new RecordingWebSocket(WebSocket.CreateFromStream(server.GetStream(), new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero }));
            var sender = new TunnelSession(recorder, TunnelRole.Server);
            var receiver = new TunnelSession(WebSocket.CreateFromStream(client.GetStream(), new WebSocketCreationOptions { KeepAliveInterval = TimeSpan.Zero }), TunnelRole.Client, streamHandler: SinkAsync);
            sender.Start();
            receiver.Start();
            return new SessionPair(sender, receiver, recorder);
        }

        public async ValueTask DisposeAsync()
        {
            await Sender.DisposeAsync();
            await Receiver.DisposeAsync();
        }

        private static Task SinkAsync(TunnelIncomingStream incoming, CancellationToken cancellationToken) =>
            TestHandlers.AnswerByteCountAsync(incoming.Accept(), cancellationToken);
    }

    /// <summary>A WebSocket that records the size of every message it sends and passes everything through.</summary>
    private sealed class RecordingWebSocket(WebSocket inner) : WebSocket
    {
        private readonly List<int> _sizes = [];
        private int _current;

        public override WebSocketCloseStatus? CloseStatus => inner.CloseStatus;

        public override string? CloseStatusDescription => inner.CloseStatusDescription;

        public override WebSocketState State => inner.State;

        public override string? SubProtocol => inner.SubProtocol;

        /// <summary>The sizes of the messages sent since the last call.</summary>
        public List<int> TakeSizes()
        {
            lock (_sizes)
            {
                var sizes = _sizes.ToList();
                _sizes.Clear();
                return sizes;
            }
        }

        public override void Abort() => inner.Abort();

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
            inner.CloseAsync(closeStatus, statusDescription, cancellationToken);

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
            inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

        public override void Dispose() => inner.Dispose();

        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
            inner.ReceiveAsync(buffer, cancellationToken);

        public override ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
            inner.ReceiveAsync(buffer, cancellationToken);

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
            SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

        public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            Record(buffer.Length, endOfMessage);
            return inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);
        }

        public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, WebSocketMessageFlags messageFlags, CancellationToken cancellationToken)
        {
            Record(buffer.Length, messageFlags.HasFlag(WebSocketMessageFlags.EndOfMessage));
            return inner.SendAsync(buffer, messageType, messageFlags, cancellationToken);
        }

        private void Record(int length, bool endOfMessage)
        {
            lock (_sizes)
            {
                _current += length;
                if (endOfMessage)
                {
                    _sizes.Add(_current);
                    _current = 0;
                }
            }
        }
    }
}
