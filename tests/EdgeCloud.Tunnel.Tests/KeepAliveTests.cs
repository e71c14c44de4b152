using System.Diagnostics;

namespace EdgeCloud.Tunnel.Tests;

/// <summary>Keepalive from both ends, through a TCP proxy that can go silent like a dropped NAT mapping.</summary>
public sealed class KeepAliveTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(600);
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static TunnelOptions Fast() => new()
    {
        KeepAliveInterval = Interval,
        KeepAliveTimeout = Deadline,
        ShutdownTimeout = TimeSpan.FromSeconds(1),
        CloseTimeout = TimeSpan.FromSeconds(1),
    };

    [Fact]
    public async Task A_silent_peer_is_detected_on_both_sides_within_the_timeout()
    {
        await using var server = await TunnelTestServer.StartAsync(tunnel: Fast());
        await using var proxy = new TcpProxy(server.Port);
        var viaProxy = new UriBuilder(server.Uri) { Port = proxy.Port }.Uri;
        await using var client = TestHandlers.Client(viaProxy, "node-ka", tunnel: Fast());
        var clientSession = await client.WaitForSessionAsync(Token).WaitAsync(TestHandlers.Timeout, Token);
        var serverSession = await server.Registry.WaitForSessionAsync("node-ka", Token).WaitAsync(TestHandlers.Timeout, Token);

        // Idle for several timeouts with the path intact: pings and pongs keep both ends up.
        await Task.WhenAny(clientSession.Completion, serverSession.Completion, Task.Delay(Deadline * 4, Token));
        Assert.False(clientSession.Completion.IsCompleted || serverSession.Completion.IsCompleted, "an idle, healthy session was torn down");

        proxy.Freeze();
        var frozen = Stopwatch.GetTimestamp();
        var clientError = await Assert.ThrowsAsync<TimeoutException>(() => clientSession.Completion.WaitAsync(TestHandlers.Timeout, Token));
        var clientDetected = Stopwatch.GetElapsedTime(frozen);
        var clientSilence = Stopwatch.GetElapsedTime(proxy.LastForwardedToClient);
        await Assert.ThrowsAsync<TimeoutException>(() => serverSession.Completion.WaitAsync(TestHandlers.Timeout, Token));
        var serverDetected = Stopwatch.GetElapsedTime(frozen);

        Assert.Contains("keepalive timeout", clientError.Message, StringComparison.Ordinal);
        // Within the timeout plus one keepalive tick (a third of the interval) plus scheduling slack on a busy machine.
        var bound = Deadline + Interval / 3 + TimeSpan.FromMilliseconds(700);
        Assert.True(clientDetected < bound, $"client noticed after {clientDetected.TotalMilliseconds:0} ms");
        Assert.True(serverDetected < bound, $"server noticed after {serverDetected.TotalMilliseconds:0} ms");
        // Never early: the client heard nothing for at least the timeout (measured from the last byte the proxy
        // passed to it, since on a busy machine the last pong may have arrived well before the freeze).
        Assert.True(clientSilence >= Deadline - TimeSpan.FromMilliseconds(20), $"client gave up after only {clientSilence.TotalMilliseconds:0} ms of silence");
    }
}
