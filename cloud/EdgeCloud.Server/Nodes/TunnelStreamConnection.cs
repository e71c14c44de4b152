using System.IO.Pipelines;
using System.Net;
using EdgeCloud.Tunnel;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace EdgeCloud.Server.Nodes;

/// <summary>
/// One tunnel stream as a Kestrel connection: its bytes are the transport, and its node's
/// <see cref="NodeIdentity"/> rides in the connection features, which requests on it see.
/// </summary>
internal sealed class TunnelStreamConnection : ConnectionContext, IDuplexPipe
{
    private readonly TunnelStream _stream;
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposing;
    private int _aborted;

    public TunnelStreamConnection(TunnelStream stream, NodeIdentity identity, EndPoint local)
    {
        _stream = stream;
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        Features.Set(identity);
        LocalEndPoint = local;
        RemoteEndPoint = new DnsEndPoint(identity.Node, 0);
        ConnectionId = $"tunnel-{identity.Cluster}-{identity.Node}-{stream.Id}";
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport
    {
        get => this;
        set => throw new NotSupportedException("a tunnel connection's transport is its stream");
    }

    public override CancellationToken ConnectionClosed
    {
        get => _closed.Token;
        set => throw new NotSupportedException();
    }

    /// <summary>Completes once Kestrel is done with the connection.</summary>
    public Task Disposed => _disposed.Task;

    public override void Abort(ConnectionAbortedException abortReason)
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 1)
        {
            return;
        }

        _stream.Reset(abortReason?.Message ?? "the server aborted the connection");
        // Kestrel reacts to ConnectionClosed by aborting again; raise it off this call stack, as socket transports do.
        ThreadPool.UnsafeQueueUserWorkItem(static closed => CancelQuietly(closed), _closed, preferLocal: false);
    }

    private static void CancelQuietly(CancellationTokenSource closed)
    {
        try
        {
            closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile: nobody listens any more.
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposing, 1) == 1)
        {
            return;
        }

        try
        {
            await Input.CompleteAsync();
            await Output.CompleteAsync();
            await _stream.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or TunnelSessionClosedException or TunnelStreamResetException)
        {
            // The stream or its session is already gone; nothing is left to flush.
        }
        finally
        {
            CancelQuietly(_closed);
            _disposed.TrySetResult();
        }
    }
}
