using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using EdgeCloud.Kube.Api;
using EdgeCloud.Server.NodeProxy.Spdy;
using EdgeCloud.Tunnel;

namespace EdgeCloud.Server.NodeProxy;

/// <summary>
/// One forwarded connection of a kubectl port-forward: kubectl's pair of SPDY streams with one request id (the error
/// stream, which kubectl only reads, and the data stream) and the node stream to the pod's port. Bytes go both ways,
/// each direction's end passed on as a half-close. At the end the data and error streams get FIN: kubectl waits for
/// both before it lets the local connection go. A failure (nothing listens on the port, the node is gone) is written
/// on the error stream, as the kubelet does, and kubectl shows it for that connection.
/// </summary>
internal sealed class PortForwardConnection(SpdyServerSession spdy, PodStreamTarget target)
{
    /// <summary>What kubectl may send ahead of the node stream before its SPDY reads wait: 256 KiB.</summary>
    private const int ClientBufferLimit = 256 * 1024;

    /// <summary>The largest write to the node stream: one tunnel frame.</summary>
    private const int NodeWriteSize = 64 * 1024;

    private readonly Pipe _fromClient = new(new PipeOptions(pauseWriterThreshold: ClientBufferLimit, resumeWriterThreshold: ClientBufferLimit / 2, useSynchronizationContext: false));

    /// <summary>The error stream's id, once kubectl opened it.</summary>
    public int? ErrorStreamId { get; set; }

    /// <summary>The data stream's id, once kubectl opened it.</summary>
    public int? DataStreamId { get; set; }

    /// <summary>The port header of the data stream.</summary>
    public string? PortHeader { get; set; }

    /// <summary>Cancelled when kubectl resets the data stream: both directions stop and the node stream is reset.</summary>
    private readonly CancellationTokenSource _reset = new();

    /// <summary>Set once kubectl's side of the data stream ended (FIN or reset); only the SPDY read loop writes the pipe.</summary>
    private bool _clientEnded;

    /// <summary>
    /// Bytes kubectl sent on the data stream; <paramref name="fin"/>: it sends no more. Called by the SPDY read loop,
    /// which waits here while the pod's side is slow (at most <see cref="ClientBufferLimit"/> is kept).
    /// </summary>
    public async ValueTask ReceiveAsync(ReadOnlyMemory<byte> data, bool fin)
    {
        if (_clientEnded)
        {
            return;
        }

        if (!data.IsEmpty)
        {
            // Once the relay has stopped reading (it failed or finished), the bytes are dropped.
            await _fromClient.Writer.WriteAsync(data);
        }

        if (fin)
        {
            EndClient(null);
        }
    }

    /// <summary>kubectl reset the data stream: nothing more comes from it, and what goes to the pod is cut off.</summary>
    public void Abort()
    {
        EndClient(new IOException("kubectl reset the port-forward stream"));
        _reset.Cancel();
    }

    private void EndClient(Exception? error)
    {
        if (!_clientEnded)
        {
            _clientEnded = true;
            _fromClient.Writer.Complete(error);
        }
    }

    /// <summary>Opens the node stream with <paramref name="open"/> and relays until both directions have ended.</summary>
    public async Task RunAsync(Func<int, CancellationToken, Task<TunnelStream>> open, CancellationToken cancellationToken)
    {
        if (!int.TryParse(PortHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            await FailAsync($"invalid port \"{PortHeader}\": a port-forward needs a port between 1 and 65535", cancellationToken);
            return;
        }

        TunnelStream node;
        try
        {
            node = await open(port, cancellationToken);
        }
        catch (KubeApiException failure)
        {
            await FailAsync($"error forwarding port {port} to pod {target.Pod}, uid {target.PodUid}: {failure.Message}", cancellationToken);
            return;
        }

        await using (node)
        {
            // Either direction breaking (kubectl reset the data stream, the agent reset the node stream, kubectl went
            // away) resets the node stream, which ends the other direction too: its pod connection is closed.
            using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _reset.Token);
            await Task.WhenAll(ResetOnFailureAsync(ToPodAsync(node, running.Token), node, running.Token), ResetOnFailureAsync(FromPodAsync(node, running.Token), node, running.Token));
        }
    }

    private static async Task ResetOnFailureAsync(Task direction, TunnelStream node, CancellationToken cancellationToken)
    {
        try
        {
            await direction;
        }
        catch (Exception broken) when (broken is IOException or OperationCanceledException)
        {
            node.Reset(cancellationToken.IsCancellationRequested ? "kubectl closed or reset the port-forward connection" : "the port-forward connection broke");
        }
    }

    private async Task ToPodAsync(TunnelStream node, CancellationToken cancellationToken)
    {
        var reader = _fromClient.Reader;
        // The pipe holds kubectl's bytes in 4 KiB segments: they go to the node stream in writes of up to 64 KiB
        // (one per segment took 16 tunnel writes per 64 KiB, and most of the server's CPU).
        var chunk = new byte[NodeWriteSize];
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                while (!buffer.IsEmpty)
                {
                    var length = (int)Math.Min(buffer.Length, chunk.Length);
                    System.Buffers.BuffersExtensions.CopyTo(buffer.Slice(0, length), chunk);
                    await node.WriteAsync(chunk.AsMemory(0, length), cancellationToken);
                    buffer = buffer.Slice(length);
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    await node.CompleteWritesAsync(cancellationToken);
                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private async Task FromPodAsync(TunnelStream node, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int n;
            while ((n = await node.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await spdy.WriteDataAsync(DataStreamId!.Value, buffer.AsMemory(0, n), fin: false, cancellationToken);
            }
        }
        catch (TunnelStreamResetException) when (!cancellationToken.IsCancellationRequested)
        {
            // The agent's connection to the pod broke: kubectl gets the end of the data as for a close, and lets
            // its local connection go (kubectl then resets the stream, which ends the other direction here).
        }

        await FinishAsync(null, cancellationToken);
    }

    private async Task FailAsync(string message, CancellationToken cancellationToken)
    {
        await _fromClient.Reader.CompleteAsync();
        await FinishAsync(message, cancellationToken);
    }

    /// <summary>FIN on the data stream, then the error stream's message (if any) and its FIN.</summary>
    private async Task FinishAsync(string? error, CancellationToken cancellationToken)
    {
        await spdy.WriteDataAsync(DataStreamId!.Value, ReadOnlyMemory<byte>.Empty, fin: true, cancellationToken);
        if (ErrorStreamId is { } errorStream)
        {
            await spdy.WriteDataAsync(errorStream, error is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(error), fin: true, cancellationToken);
        }
    }
}
