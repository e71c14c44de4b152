using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using EdgeCloud.Tunnel;

namespace EdgeCloud.LoadTests.Tunnel;

/// <summary>
/// The agent side's targets: "sink" reads to the end and answers the byte count (8 bytes, little-endian); "hello"
/// writes one byte at once. As a tunnel stream handler, and as TCP listeners for ssh -R to forward to.
/// </summary>
internal sealed class AgentTargets : IAsyncDisposable
{
    private readonly TcpListener _sink = new(IPAddress.Loopback, 0);
    private readonly TcpListener _hello = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sinkLoop;
    private readonly Task _helloLoop;

    public AgentTargets()
    {
        _sink.Start(512);
        _hello.Start(512);
        _sinkLoop = AcceptAsync(_sink, stream => SinkAsync(stream, _stop.Token));
        _helloLoop = AcceptAsync(_hello, stream => HelloAsync(stream, _stop.Token));
    }

    public int SinkPort => ((IPEndPoint)_sink.LocalEndpoint).Port;

    public int HelloPort => ((IPEndPoint)_hello.LocalEndpoint).Port;

    public static async Task HandleAsync(TunnelIncomingStream incoming, CancellationToken cancellationToken)
    {
        var stream = incoming.Accept();
        if (incoming.Target == "hello")
        {
            await HelloAsync(stream, cancellationToken);
        }
        else
        {
            await SinkAsync(stream, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _sink.Stop();
        _hello.Stop();
        await Task.WhenAll(_sinkLoop, _helloLoop);
    }

    private static async Task SinkAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[TunnelBenchServer.BlockSize];
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += n;
        }

        BinaryPrimitives.WriteInt64LittleEndian(buffer, total);
        await stream.WriteAsync(buffer.AsMemory(0, 8), cancellationToken);
    }

    private static async Task HelloAsync(Stream stream, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(new byte[] { 1 }, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        var buffer = new byte[16];
        while (await stream.ReadAsync(buffer, cancellationToken) > 0)
        {
        }
    }

    private async Task AcceptAsync(TcpListener listener, Func<Stream, Task> serve)
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(_stop.Token);
                client.NoDelay = true;
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            await using var stream = client.GetStream();
                            await serve(stream);
                            client.Client.Shutdown(SocketShutdown.Send);
                        }
                        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
                        {
                        }
                    }
                });
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
