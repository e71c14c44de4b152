using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeCloud.Tunnel.Tests;

/// <summary>The client comes back after any failure and re-establishes its streams.</summary>
public sealed class ReconnectTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>The caller's hook: on every new session, open a "watch" stream and prove it works.</summary>
    private sealed class Watcher
    {
        private readonly ConcurrentQueue<TunnelStream> _streams = new();
        private TaskCompletionSource<string> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> Next => Volatile.Read(ref _next).Task;

        public void Expect() => Volatile.Write(ref _next, new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));

        public async Task OnSessionAsync(TunnelSession session, CancellationToken cancellationToken)
        {
            var stream = await session.OpenStreamAsync("watch", cancellationToken);
            _streams.Enqueue(stream);
            await stream.WriteAsync("ping"u8.ToArray(), cancellationToken);
            var buffer = new byte[4];
            await stream.ReadExactlyAsync(buffer, cancellationToken);
            Volatile.Read(ref _next).TrySetResult(Encoding.UTF8.GetString(buffer));
        }
    }

    [Fact]
    public async Task After_a_server_restart_the_client_reconnects_and_reopens_its_streams()
    {
        var registry = new TunnelSessionRegistry();
        var server = await TunnelTestServer.StartAsync(registry: registry);
        var port = server.Port;
        var watcher = new Watcher();
        await using var client = TestHandlers.Client(server.Uri, "node-rr", established: watcher.OnSessionAsync);
        try
        {
            Assert.Equal("ping", await watcher.Next.WaitAsync(TestHandlers.Timeout, Token));
            var first = client.CurrentSession!;

            watcher.Expect();
            await server.DisposeAsync();
            // The stopping server shuts the session down (GoAway, drain deadline, close); the client redials at once.
            await first.Completion.WaitAsync(TestHandlers.Timeout, Token);
            server = await TunnelTestServer.StartAsync(port: port, registry: registry);

            Assert.Equal("ping", await watcher.Next.WaitAsync(TestHandlers.Timeout, Token));
            Assert.NotSame(first, client.CurrentSession);
            Assert.True(client.SessionsEstablished >= 2);
            var serverSession = await registry.WaitForSessionAsync("node-rr", Token).WaitAsync(TestHandlers.Timeout, Token);
            Assert.Equal(1, serverSession.StreamCount);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_dead_endpoint_fails_over_to_the_next_one()
    {
        var closedPort = ClosedPort();
        await using var server = await TunnelTestServer.StartAsync();
        var dead = new Uri($"ws://127.0.0.1:{closedPort}/tunnel");
        var watcher = new Watcher();
        await using var client = TestHandlers.Client(dead, "node-fo", established: watcher.OnSessionAsync, more: server.Uri);
        Assert.Equal("ping", await watcher.Next.WaitAsync(TestHandlers.Timeout, Token));
        Assert.Equal(server.Uri, client.CurrentEndpoint);
    }

    [Fact]
    public async Task A_rejected_handshake_is_retried_until_it_succeeds_and_the_client_never_gives_up()
    {
        var allow = 0;
        var attempts = 0;
        await using var server = await TunnelTestServer.StartAsync();
        var watcher = new Watcher();
        var options = new TunnelClientOptions
        {
            Endpoints = [server.Uri],
            ConfigureWebSocket = o =>
            {
                Interlocked.Increment(ref attempts);
                o.SetRequestHeader(TunnelTestServer.NodeHeader, Volatile.Read(ref allow) == 1 ? "node-late" : "forbidden");
            },
            SessionEstablished = watcher.OnSessionAsync,
            Tunnel = TestHandlers.Options(),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(100),
        };
        using var reconnects = new MeasurementCounter(TunnelMetrics.ReconnectsName);
        await using var client = new TunnelClient(options);
        client.Start();
        await StreamTests.WaitUntilAsync(() => Volatile.Read(ref attempts) >= 5);
        Assert.Null(client.CurrentSession);
        Volatile.Write(ref allow, 1);
        Assert.Equal("ping", await watcher.Next.WaitAsync(TestHandlers.Timeout, Token));
        Assert.True(reconnects.Total >= 4);
    }

    [Fact]
    public void Backoff_doubles_with_jitter_up_to_the_cap_and_resets()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(3));
        var delays = Enumerable.Range(0, 12).Select(_ => backoff.Next()).ToList();
        for (var i = 0; i < delays.Count; i++)
        {
            var ceiling = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, i)));
            Assert.InRange(delays[i], ceiling / 2, ceiling);
        }

        Assert.True(delays.Distinct().Count() > 6, "no jitter");
        backoff.Reset();
        Assert.InRange(backoff.Next(), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
