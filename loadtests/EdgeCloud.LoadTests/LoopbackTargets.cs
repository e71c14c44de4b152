using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace EdgeCloud.LoadTests;

/// <summary>
/// The servers at the far end of the benchmarks' paths, as TCP listeners on loopback (what ssh -R forwards to, and
/// what a pod's port is to the agent: pods share the node's network); <see cref="SinkAsync"/>, <see cref="HelloAsync"/>
/// and <see cref="SourceAsync"/> also serve tunnel streams. "sink" reads to the end and answers the byte count
/// (8 bytes, little-endian); "source" reads a byte count (8 bytes, little-endian) and writes that many bytes; "hello"
/// writes one byte at once.
/// </summary>
internal sealed class LoopbackTargets : IAsyncDisposable
{
    public const int BlockSize = 64 * 1024;

    private readonly TcpListener _sink = new(IPAddress.Loopback, 0);
    private readonly TcpListener _hello = new(IPAddress.Loopback, 0);
    private readonly TcpListener _source = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sinkLoop;
    private readonly Task _helloLoop;
    private readonly Task _sourceLoop;

    public LoopbackTargets()
    {
        _sink.Start(512);
        _hello.Start(512);
        _sinkLoop = AcceptAsync(_sink, SinkAsync);
        _helloLoop = AcceptAsync(_hello, HelloAsync);
        _source.Start(512);
        _sourceLoop = AcceptAsync(_source, SourceAsync);
    }

    public int SinkPort => ((IPEndPoint)_sink.LocalEndpoint).Port;

    public int HelloPort => ((IPEndPoint)_hello.LocalEndpoint).Port;

    public int SourcePort => ((IPEndPoint)_source.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _sink.Stop();
        _hello.Stop();
        _source.Stop();
        await Task.WhenAll(_sinkLoop, _helloLoop, _sourceLoop);
        _stop.Dispose();
    }

    public static async Task SinkAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[BlockSize];
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += n;
        }

        BinaryPrimitives.WriteInt64LittleEndian(buffer, total);
        await stream.WriteAsync(buffer.AsMemory(0, 8), cancellationToken);
    }

    public static async Task SourceAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[BlockSize];
        await stream.ReadExactlyAsync(buffer.AsMemory(0, 8), cancellationToken);
        for (var left = BinaryPrimitives.ReadInt64LittleEndian(buffer); left > 0; left -= buffer.Length)
        {
            await stream.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
        }
    }

    public static async Task HelloAsync(Stream stream, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(new byte[] { 1 }, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        var buffer = new byte[16];
        while (await stream.ReadAsync(buffer, cancellationToken) > 0)
        {
        }
    }

    private async Task AcceptAsync(TcpListener listener, Func<Stream, CancellationToken, Task> serve)
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
                            await serve(client.GetStream(), _stop.Token);
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
