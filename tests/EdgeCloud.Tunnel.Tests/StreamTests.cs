using System.Text;

namespace EdgeCloud.Tunnel.Tests;

/// <summary>Streams over a real Kestrel and ClientWebSocket: both directions, refusal, half-close, reset, many at once.</summary>
public sealed class StreamTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Streams_open_in_both_directions()
    {
        await using var server = await TunnelTestServer.StartAsync();
        var opened = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = TestHandlers.Client(server.Uri, "node-a", handler: async (incoming, ct) =>
        {
            opened.TrySetResult(incoming.Target);
            var stream = incoming.Accept();
            await stream.WriteAsync(Encoding.UTF8.GetBytes("log line from " + incoming.Target), ct);
        });
        var clientSession = await client.WaitForSessionAsync(Token).WaitAsync(TestHandlers.Timeout, Token);

        // Agent → cloud: echoed by the server's handler.
        await using (var up = await clientSession.OpenStreamAsync("api", Token))
        {
            Assert.Equal(1, up.Id % 2);
            await up.WriteAsync("hello cloud"u8.ToArray(), Token);
            await up.CompleteWritesAsync(Token);
            Assert.Equal("hello cloud", Encoding.UTF8.GetString(await TestHandlers.ReadToEndAsync(up, Token)));
        }

        // Cloud → agent: the server finds the node's session and opens a stream into it.
        var serverSession = await server.Registry.WaitForSessionAsync("node-a", Token).WaitAsync(TestHandlers.Timeout, Token);
        Assert.Equal(TunnelRole.Server, serverSession.Role);
        await using var down = await serverSession.OpenStreamAsync("logs:pod/web-0", Token);
        Assert.Equal(0, down.Id % 2);
        Assert.Equal("logs:pod/web-0", await opened.Task.WaitAsync(TestHandlers.Timeout, Token));
        Assert.Equal("log line from logs:pod/web-0", Encoding.UTF8.GetString(await TestHandlers.ReadToEndAsync(down, Token)));
    }

    [Fact]
    public async Task A_refused_open_leaves_the_session_and_other_streams_working()
    {
        await using var server = await TunnelTestServer.StartAsync();
        await using var client = TestHandlers.Client(server.Uri, "node-r");
        var session = await client.WaitForSessionAsync(Token).WaitAsync(TestHandlers.Timeout, Token);
        await using var before = await session.OpenStreamAsync("echo", Token);

        var refused = await Assert.ThrowsAsync<TunnelStreamRefusedException>(() => session.OpenStreamAsync("refuse:port 22 is not forwarded", Token));
        Assert.Equal("port 22 is not forwarded", refused.Reason);

        // The stream opened before still works, a new one opens, and the session is the same one.
        var buffer = new byte[5];
        await before.WriteAsync("still"u8.ToArray(), Token);
        await before.ReadExactlyAsync(buffer, Token);
        Assert.Equal("still", Encoding.UTF8.GetString(buffer));
        await using var after = await session.OpenStreamAsync("echo", Token);
        await after.WriteAsync("after"u8.ToArray(), Token);
        await after.ReadExactlyAsync(buffer, Token);
        Assert.Equal("after", Encoding.UTF8.GetString(buffer));
        Assert.False(session.Completion.IsCompleted);
        Assert.Same(session, client.CurrentSession);
        Assert.Equal(1, client.SessionsEstablished);
    }

    [Fact]
    public async Task A_handler_that_throws_refuses_or_resets_only_its_stream()
    {
        await using var server = await TunnelTestServer.StartAsync(handler: async (incoming, ct) =>
        {
            if (incoming.Target == "throw-before-accept")
            {
                throw new InvalidOperationException("boom");
            }

            var stream = incoming.Accept();
            if (incoming.Target == "throw-after-accept")
            {
                var one = new byte[1];
                await stream.ReadExactlyAsync(one, ct);
                throw new InvalidOperationException("boom");
            }

            await stream.CopyToAsync(stream, ct);
        });
        await using var client = TestHandlers.Client(server.Uri, "node-h");
        var session = await client.WaitForSessionAsync(Token).WaitAsync(TestHandlers.Timeout, Token);

        var refused = await Assert.ThrowsAsync<TunnelStreamRefusedException>(() => session.OpenStreamAsync("throw-before-accept", Token));
        Assert.Equal("the stream handler failed", refused.Reason);
        await using var reset = await session.OpenStreamAsync("throw-after-accept", Token);
        await reset.WriteAsync(new byte[1], Token);
        var error = await Assert.ThrowsAsync<TunnelStreamResetException>(async () => await reset.ReadExactlyAsync(new byte[1], Token));
        Assert.True(error.ByPeer);

        await using var fine = await session.OpenStreamAsync("echo", Token);
        await fine.WriteAsync(new byte[] { 42 }, Token);
        var echoed = new byte[1];
        await fine.ReadExactlyAsync(echoed, Token);
        Assert.Equal(42, echoed[0]);
    }

    [Fact]
    public async Task Half_close_ends_one_direction_and_the_other_goes_on()
    {
        var serverRead = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TunnelTestServer.StartAsync(handler: async (incoming, ct) =>
        {
            var stream = incoming.Accept();
            // Read the whole request first (the client half-closes), then answer on the still-open direction.
            serverRead.TrySetResult(Encoding.UTF8.GetString(await TestHandlers.ReadToEndAsync(stream, ct)));
            await stream.WriteAsync("response after your EOF"u8.ToArray(), ct);
        });
        await using var client = TestHandlers.Client(server.Uri, "node-hc");
        var session = await client.WaitForSessionAsync(Token).WaitAsync(TestHandlers.Timeout, Token);
        await using var stream = await session.OpenStreamAsync("req", Token);
        await stream.WriteAsync("request"u8.ToArray(), Token);
        await stream.CompleteWritesAsync(Token);
        Assert.Equal("request", await serverRead.Task.WaitAsync(TestHandlers.Timeout, Token));
        Assert.Equal("response after your EOF", Encoding.UTF8.GetString(await TestHandlers.ReadToEndAsync(stream, Token)));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await stream.WriteAsync(new byte[1], Token));
    }

    [Fact]
    public async Task Reset_fails_both_ends_of_the_stream_only()
    {
        var serverError = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TunnelTestServer.StartAsync(handler: async (incoming, ct) =>
        {
            var stream = incoming.Accept();
            try
            {
                await TestHandlers.ReadToEndAsync(stream, ct);
                serverError.TrySetResult(new InvalidOperationException("read ended without the reset"));
            }
            catch (Exception e)
            {
                serverError.TrySetResult(e);
            }
        });
        await using var client = TestHandlers.Client(server.Uri, "node-rs");
        var session = await client.WaitForSessionAsync(Token).WaitAsync(TestHandlers.Timeout, Token);
        var stream = await session.OpenStreamAsync("x", Token);
        await stream.WriteAsync("partial"u8.ToArray(), Token);
        stream.Reset("user pressed ctrl-c");

        var error = Assert.IsType<TunnelStreamResetException>(await serverError.Task.WaitAsync(TestHandlers.Timeout, Token));
        Assert.Equal("user pressed ctrl-c", error.Reason);
        Assert.True(error.ByPeer);
        var local = await Assert.ThrowsAsync<TunnelStreamResetException>(async () => await stream.WriteAsync(new byte[1], Token));
        Assert.False(local.ByPeer);
        Assert.False(session.Completion.IsCompleted);
    }

    [Fact]
    public async Task A_thousand_concurrent_streams_on_one_session()
    {
        const int Streams = 1000;
        await using var server = await TunnelTestServer.StartAsync();
        await using var client = TestHandlers.Client(server.Uri, "node-k");
        var session = await client.WaitForSessionAsync(Token).WaitAsync(TestHandlers.Timeout, Token);
        var serverSession = await server.Registry.WaitForSessionAsync("node-k", Token).WaitAsync(TestHandlers.Timeout, Token);

        var streams = await Task.WhenAll(Enumerable.Range(0, Streams).Select(_ => session.OpenStreamAsync("echo", Token)));
        // All of them are open at the same time, on both ends.
        Assert.Equal(Streams, session.StreamCount);
        Assert.Equal(Streams, serverSession.StreamCount);
        Assert.Equal(Streams, streams.Select(s => s.Id).Distinct().Count());

        await Task.WhenAll(streams.Select(async (stream, i) =>
        {
            var payload = Encoding.UTF8.GetBytes($"stream {i} " + new string((char)('a' + i % 26), 1000 + i));
            await stream.WriteAsync(payload, Token);
            await stream.CompleteWritesAsync(Token);
            Assert.Equal(payload, await TestHandlers.ReadToEndAsync(stream, Token));
            await stream.DisposeAsync();
        })).WaitAsync(TestHandlers.Timeout, Token);

        Assert.Equal(0, session.StreamCount);
    }

    [Fact]
    public async Task Graceful_shutdown_lets_open_streams_drain_and_refuses_new_ones()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TunnelTestServer.StartAsync(handler: async (incoming, ct) =>
        {
            var stream = incoming.Accept();
            await release.Task.WaitAsync(ct);
            await stream.WriteAsync("the rest of the logs"u8.ToArray(), ct);
        });
        await using var client = TestHandlers.Client(server.Uri, "node-g");
        var session = await client.WaitForSessionAsync(Token).WaitAsync(TestHandlers.Timeout, Token);
        var serverSession = await server.Registry.WaitForSessionAsync("node-g", Token).WaitAsync(TestHandlers.Timeout, Token);
        var stream = await session.OpenStreamAsync("logs", Token);

        var shutdown = serverSession.ShutdownAsync("rolling update", CancellationToken.None);
        // GoAway reaches the client: it opens nothing new, but the open stream still delivers everything.
        await WaitUntilAsync(() => session.IsShuttingDown);
        await Assert.ThrowsAsync<TunnelSessionClosedException>(() => session.OpenStreamAsync("new", Token));
        Assert.False(shutdown.IsCompleted);
        release.SetResult();
        Assert.Equal("the rest of the logs", Encoding.UTF8.GetString(await TestHandlers.ReadToEndAsync(stream, Token)));
        await stream.DisposeAsync();

        await shutdown.WaitAsync(TestHandlers.Timeout, Token);
        await serverSession.Completion.WaitAsync(TestHandlers.Timeout, Token);
        await session.Completion.WaitAsync(TestHandlers.Timeout, Token);
    }

    /// <summary>Waits for a state change that has no event of its own, bounded by the test timeout.</summary>
    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TestHandlers.Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not become true in time");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
