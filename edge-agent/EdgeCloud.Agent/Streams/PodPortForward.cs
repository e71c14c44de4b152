using System.Net;
using System.Net.Sockets;
using EdgeCloud.Tunnel;

namespace EdgeCloud.Agent.Streams;

/// <summary>
/// One kubectl port-forward connection on the agent's side: a TCP connection to the pod's port, its bytes relayed both
/// ways with the tunnel stream, each direction's end passed on as a half-close. Pods share the node's network (there
/// is no CNI on an edge node), so the pod's port is the node's loopback port, IPv4 first and then IPv6, as the
/// container runtimes' port-forward dials "localhost" inside the pod's network namespace.
/// </summary>
internal static class PodPortForward
{
    /// <summary>Connects to <paramref name="port"/> on loopback; a null socket and the reason when nothing accepts.</summary>
    public static async Task<(Socket? Socket, string? Error)> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        SocketException? last = null;
        foreach (var address in (IPAddress[])[IPAddress.Loopback, IPAddress.IPv6Loopback])
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return (socket, null);
            }
            catch (SocketException failure)
            {
                last = failure;
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        return (null, $"failed to connect to localhost:{port} inside the pod's network: {last?.Message}");
    }

    /// <summary>
    /// Relays until both directions have ended. A reset of the tunnel stream (kubectl went away) closes the
    /// connection; a broken connection resets the stream.
    /// </summary>
    public static async Task RelayAsync(Socket socket, TunnelStream stream, CancellationToken cancellationToken)
    {
        using (socket)
        {
            await using var network = new NetworkStream(socket, ownsSocket: false);
            using var broken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var toPod = CopyToPodAsync(stream, network, socket, broken);
            var fromPod = CopyFromPodAsync(network, stream, broken);
            await Task.WhenAll(toPod, fromPod);
        }
    }

    private static async Task CopyToPodAsync(TunnelStream stream, NetworkStream network, Socket socket, CancellationTokenSource broken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, broken.Token)) > 0)
            {
                await network.WriteAsync(buffer.AsMemory(0, n), broken.Token);
            }

            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception failure) when (failure is IOException or SocketException or OperationCanceledException)
        {
            await FailAsync(stream, socket, broken);
        }
    }

    private static async Task CopyFromPodAsync(NetworkStream network, TunnelStream stream, CancellationTokenSource broken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await network.ReadAsync(buffer, broken.Token)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, n), broken.Token);
            }

            await stream.CompleteWritesAsync(broken.Token);
        }
        catch (Exception failure) when (failure is IOException or SocketException or OperationCanceledException)
        {
            await FailAsync(stream, network.Socket, broken);
        }
    }

    /// <summary>Either side broke: both copies stop, the stream is reset and the connection closed at once.</summary>
    private static async Task FailAsync(TunnelStream stream, Socket socket, CancellationTokenSource broken)
    {
        await broken.CancelAsync();
        stream.Reset("the port-forward connection to the pod was closed");
        socket.Close(0);
    }
}
