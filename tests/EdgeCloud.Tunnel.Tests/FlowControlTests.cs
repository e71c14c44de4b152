using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EdgeCloud.Tunnel.Tests;

/// <summary>Per-stream credit and the round-robin writer, measured over a real loopback session.</summary>
public sealed class FlowControlTests
{
    private const int Window = 512 * 1024; // TunnelOptions.InitialStreamWindow default
    private const int Chunk = 16 * 1024;
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>"sink" reads everything and answers the byte count; "stall" accepts and never reads.</summary>
    private static async Task Handler(TunnelIncomingStream incoming, CancellationToken cancellationToken)
    {
        var stream = incoming.Accept();
        if (incoming.Target == "stall")
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        await TestHandlers.AnswerByteCountAsync(stream, cancellationToken);
    }

    private static async Task<TimeSpan> SendAsync(TunnelStream stream, int bytes)
    {
        var started = Stopwatch.GetTimestamp();
        var block = new byte[64 * 1024];
        for (var sent = 0; sent < bytes; sent += block.Length)
        {
            await stream.WriteAsync(block, Token);
        }

        await stream.CompleteWritesAsync(Token);
        var answer = new byte[8];
        await stream.ReadExactlyAsync(answer, Token);
        Assert.Equal(bytes, BitConverter.ToInt64(answer));
        return Stopwatch.GetElapsedTime(started);
    }

    [Fact]
    public async Task A_stalled_reader_stalls_only_its_own_stream_and_buffers_at_most_its_window()
    {
        using var stalls = new MeasurementCounter(TunnelMetrics.CreditStallsName);
        await using var server = await TunnelTestServer.StartAsync(handler: Handler);
        await using var client = TestHandlers.Client(server.Uri, "node-fc");
        var session = await client.WaitForSessionAsync(Token).WaitAsync(TestHandlers.Timeout, Token);
        const int Bulk = 16 * 1024 * 1024;

        await using (var warmup = await session.OpenStreamAsync("sink", Token))
        {
            await SendAsync(warmup, Bulk);
        }

        TimeSpan alone;
        await using (var baseline = await session.OpenStreamAsync("sink", Token))
        {
            alone = await SendAsync(baseline, Bulk);
        }

        // The stalled stream's writer pushes 16 KiB writes until credit runs out.
        await using var stalled = await session.OpenStreamAsync("stall", Token);
        long accepted = 0;
        var stalledWriter = Task.Run(async () =>
        {
            var block = new byte[Chunk];
            while (true)
            {
                await stalled.WriteAsync(block, Token);
                Interlocked.Add(ref accepted, block.Length);
            }
        }, Token);

        TimeSpan beside;
        await using (var parallel = await session.OpenStreamAsync("sink", Token))
        {
            beside = await SendAsync(parallel, Bulk);
        }

        // The parallel stream ran at full speed (a generous factor for a shared 2-CPU machine)...
        Assert.True(beside < alone * 3 + TimeSpan.FromMilliseconds(500), $"16 MiB took {beside.TotalMilliseconds:0} ms beside a stalled stream, {alone.TotalMilliseconds:0} ms alone");
        // ...while the stalled stream got no further than the receiver's window: its writer is stuck, not buffering.
        Assert.False(stalledWriter.IsCompleted);
        Assert.InRange(Interlocked.Read(ref accepted), Window - Chunk, Window);
        Assert.True(stalls.Total > 0);
        stalled.Reset("test over");
        await Assert.ThrowsAsync<TunnelStreamResetException>(() => stalledWriter.WaitAsync(TestHandlers.Timeout, Token));
    }

    [Theory]
    // Default budget (32 MiB): the window doubles up to MaxStreamWindow (4 MiB).
    [InlineData(32 * 1024 * 1024, 4 * 1024 * 1024)]
    // A 4 MiB budget: growth stays within an eighth of it (512 KiB), so this stream stops at 1 MiB.
    [InlineData(4 * 1024 * 1024, 1024 * 1024)]
    public async Task A_stream_whose_reader_keeps_up_grows_its_window_within_the_maximum_and_an_eighth_of_the_budget(int budget, int expectedWindow)
    {
        await using var grown = await GrowOneStreamAsync(budget);
        Assert.Equal(expectedWindow, grown.Receiver.ReceiveWindow);
        // The sender was granted the grown window: it may now have more than the initial window in flight.
        Assert.True(grown.Sender.SendCredit > Window, $"send credit {grown.Sender.SendCredit} bytes after growth");
        Assert.True(grown.Sender.SendCredit <= expectedWindow, $"send credit {grown.Sender.SendCredit} bytes exceeds the {expectedWindow}-byte window");
    }

    [Fact]
    public async Task Grown_windows_do_not_take_the_initial_window_of_streams_opened_later()
    {
        // 4 MiB budget: one grown stream (1 MiB window) and then seven more streams: 8 x 512 KiB initial windows
        // is the whole budget, and every one of them still gets its full 512 KiB.
        await using var grown = await GrowOneStreamAsync(4 * 1024 * 1024);
        Assert.Equal(1024 * 1024, grown.Receiver.ReceiveWindow);
        for (var i = 0; i < 7; i++)
        {
            var later = await grown.Session.OpenStreamAsync("lockstep", Token);
            await later.WriteAsync(new byte[64 * 1024], Token);
            await later.ReadExactlyAsync(new byte[1], Token);
            var receiver = await grown.NextReceiver();
            Assert.Equal(Window, receiver.ReceiveWindow);
            // Kept open: the next stream is granted its window beside this one's.
            grown.KeepOpen(later);
        }
    }

    /// <summary>A session on a server with a receive budget of <paramref name="budget"/>, one stream of which has carried 16 MiB in lockstep.</summary>
    private static async Task<GrownStream> GrowOneStreamAsync(int budget)
    {
        var tunnel = TestHandlers.Options();
        tunnel.SessionReceiveBudget = budget;
        var receivers = System.Threading.Channels.Channel.CreateUnbounded<TunnelStream>();
        const int Block = 64 * 1024;

        // Lockstep: the reader takes each block whole and acknowledges it before the next is sent, so it has
        // always taken everything that arrived when it returns credit.
        async Task Lockstep(TunnelIncomingStream incoming, CancellationToken cancellationToken)
        {
            var stream = incoming.Accept();
            receivers.Writer.TryWrite(stream);
            var block = new byte[Block];
            while (await stream.ReadAtLeastAsync(block, Block, throwOnEndOfStream: false, cancellationToken) == Block)
            {
                await stream.WriteAsync(new byte[1], cancellationToken);
            }
        }

        var server = await TunnelTestServer.StartAsync(handler: Lockstep, tunnel: tunnel);
        var client = TestHandlers.Client(server.Uri, "node-grow", tunnel: tunnel);
        var session = await client.WaitForSessionAsync(Token).WaitAsync(TestHandlers.Timeout, Token);
        var sending = await session.OpenStreamAsync("lockstep", Token);
        var grown = new GrownStream(server, client, session, sending, await receivers.Reader.ReadAsync(Token).AsTask().WaitAsync(TestHandlers.Timeout, Token), receivers.Reader);
        Assert.Equal(Window, grown.Receiver.ReceiveWindow);
        var block = new byte[Block];
        var ack = new byte[1];
        for (var sent = 0; sent < 16 * 1024 * 1024; sent += Block)
        {
            await sending.WriteAsync(block, Token);
            await sending.ReadExactlyAsync(ack, Token);
        }

        return grown;
    }

    private sealed class GrownStream(TunnelTestServer server, TunnelClient client, TunnelSession session, TunnelStream sender, TunnelStream receiver, System.Threading.Channels.ChannelReader<TunnelStream> receivers) : IAsyncDisposable
    {
        private readonly List<TunnelStream> _open = [];

        public TunnelSession Session => session;

        public TunnelStream Sender => sender;

        public TunnelStream Receiver => receiver;

        public Task<TunnelStream> NextReceiver() => receivers.ReadAsync(Token).AsTask().WaitAsync(TestHandlers.Timeout, Token);

        public void KeepOpen(TunnelStream stream) => _open.Add(stream);

        public async ValueTask DisposeAsync()
        {
            foreach (var stream in _open)
            {
                await stream.DisposeAsync();
            }

            await sender.DisposeAsync();
            await client.DisposeAsync();
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Small_interactive_writes_are_not_stuck_behind_a_bulk_transfer()
    {
        await using var server = await TunnelTestServer.StartAsync();
        await using var client = TestHandlers.Client(server.Uri, "node-fair");
        var session = await client.WaitForSessionAsync(Token).WaitAsync(TestHandlers.Timeout, Token);
        var interactive = await session.OpenStreamAsync("echo", Token);
        var keystroke = new byte[1];
        var echoed = new byte[1];

        async Task<TimeSpan> RoundTripAsync()
        {
            var started = Stopwatch.GetTimestamp();
            await interactive.WriteAsync(keystroke, Token);
            await interactive.ReadExactlyAsync(echoed, Token);
            return Stopwatch.GetElapsedTime(started);
        }

        var idle = new List<TimeSpan>();
        for (var i = 0; i < 50; i++)
        {
            idle.Add(await RoundTripAsync());
        }

        // Four bulk streams keep the WebSocket full in both directions (echo) while keystrokes go back and forth.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        long bulkBytes = 0;
        var bulk = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var stream = await session.OpenStreamAsync("echo", Token);
            var block = new byte[256 * 1024];
            var reader = Task.Run(async () =>
            {
                var sink = new byte[64 * 1024];
                int n;
                while ((n = await stream.ReadAsync(sink, Token)) > 0)
                {
                    Interlocked.Add(ref bulkBytes, n);
                }
            }, Token);
            while (!stop.IsCancellationRequested)
            {
                await stream.WriteAsync(block, Token);
            }

            await stream.CompleteWritesAsync(Token);
            await reader;
        }, Token)).ToArray();

        await StreamTests.WaitUntilAsync(() => Interlocked.Read(ref bulkBytes) > 8 * 1024 * 1024);
        var busy = new List<TimeSpan>();
        for (var i = 0; i < 50; i++)
        {
            busy.Add(await RoundTripAsync());
        }

        var moved = Interlocked.Read(ref bulkBytes);
        await stop.CancelAsync();
        await Task.WhenAll(bulk).WaitAsync(TestHandlers.Timeout, Token);

        busy.Sort();
        var median = busy[busy.Count / 2];
        // Small writes go first in every message, so a round trip waits behind at most the message being sent per
        // direction, not behind the bulk streams' 256 KiB writes; 50 ms is far above that on loopback and far below
        // a head-of-line-blocked write lock.
        Assert.True(median < TimeSpan.FromMilliseconds(50), $"keystroke round trip median {median.TotalMilliseconds:0.0} ms under load (idle {idle.Order().ElementAt(25).TotalMilliseconds:0.00} ms), bulk moved {moved / 1048576} MiB");
        Assert.True(moved > 8 * 1024 * 1024);
    }

    [Fact]
    public async Task Many_streams_writing_large_blocks_at_once_get_every_byte_back_in_order()
    {
        // Writers race for the send side (inline sends, hand-overs to the write loop, credit stalls, 64 KiB turns)
        // in both directions at once: a lost wake-up hangs a stream, a mixed-up frame corrupts its bytes.
        const int Streams = 32;
        const int PerStream = 1024 * 1024;
        await using var server = await TunnelTestServer.StartAsync();
        await using var client = TestHandlers.Client(server.Uri, "node-many");
        var session = await client.WaitForSessionAsync(Token).WaitAsync(TestHandlers.Timeout, Token);

        await Task.WhenAll(Enumerable.Range(0, Streams).Select(i => Task.Run(async () =>
        {
            var payload = new byte[PerStream];
            new Random(i).NextBytes(payload);
            await using var stream = await session.OpenStreamAsync("echo", Token);
            var echoed = Task.Run(() => TestHandlers.ReadToEndAsync(stream, Token), Token);
            // Uneven writes: some fit one small frame, some span several frames and the window.
            for (var offset = 0; offset < PerStream;)
            {
                var length = Math.Min(PerStream - offset, (i * 7919 + offset) % 3 == 0 ? 1000 : 100_000);
                await stream.WriteAsync(payload.AsMemory(offset, length), Token);
                offset += length;
            }

            await stream.CompleteWritesAsync(Token);
            var back = await echoed;
            Assert.True(payload.AsSpan().SequenceEqual(back), $"stream {i} came back different");
        }, Token))).WaitAsync(TestHandlers.Timeout, Token);

        Assert.Equal(0, session.StreamCount);
    }

}

/// <summary>Sums one tunnel counter's measurements while alive.</summary>
internal sealed class MeasurementCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _total;

    public MeasurementCounter(string instrument)
    {
        _listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == TunnelMetrics.MeterName && i.Name == instrument)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
        _listener.Start();
    }

    public long Total => Interlocked.Read(ref _total);

    public void Dispose() => _listener.Dispose();
}
