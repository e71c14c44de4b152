using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeCloud.Tunnel.Tests;

/// <summary>
/// A TCP relay on 127.0.0.1 the test controls. <see cref="Freeze"/> stops forwarding in both directions while
/// keeping the sockets open: to both ends the peer looks alive at the TCP level but silent, as when a carrier-NAT
/// mapping is dropped.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;
    private volatile TaskCompletionSource _thaw = Thawed();
    private long _lastToClient;

    public TcpProxy(int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Loopback, targetPort);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>When bytes last went out toward the connecting side (a Stopwatch timestamp): the latest moment the client can have heard from its peer.</summary>
    public long LastForwardedToClient => Interlocked.Read(ref _lastToClient);

    public void Freeze() => _thaw = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        _thaw.TrySetResult();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        await _accepting;
    }

    private static TaskCompletionSource Thawed()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var inbound = await _listener.AcceptSocketAsync(_stop.Token);
                var outbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await outbound.ConnectAsync(_target, _stop.Token);
                lock (_sockets)
                {
                    _sockets.Add(inbound);
                    _sockets.Add(outbound);
                }

                _ = PumpAsync(inbound, outbound, towardClient: false);
                _ = PumpAsync(outbound, inbound, towardClient: true);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool towardClient)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                await _thaw.Task;
                var n = await from.ReceiveAsync(buffer, _stop.Token);
                if (n == 0)
                {
                    // A frozen path passes no FIN either: the far end must find the silence by keepalive alone.
                    await _thaw.Task;
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                // Bytes read just as the proxy freezes are held back too.
                await _thaw.Task;
                await to.SendAsync(buffer.AsMemory(0, n), _stop.Token);
                if (towardClient)
                {
                    Interlocked.Exchange(ref _lastToClient, Stopwatch.GetTimestamp());
                }
            }
        }
        catch (Exception)
        {
            // Nor a reset: a side that gave up while frozen is not seen by the other until the thaw (or disposal).
            await _thaw.Task;
            from.Dispose();
            to.Dispose();
        }
    }
}
