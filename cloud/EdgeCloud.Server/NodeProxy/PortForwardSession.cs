using System.Globalization;
using EdgeCloud.Server.NodeProxy.Spdy;
using EdgeCloud.Tunnel;

namespace EdgeCloud.Server.NodeProxy;

/// <summary>
/// The server end of one kubectl port-forward (protocol portforward.k8s.io over SPDY/3.1, directly or inside a
/// WebSocket): for every local connection kubectl opens an error stream and then a data stream, both with headers
/// streamType, port and requestID; each pair becomes a <see cref="PortForwardConnection"/> with its own node stream,
/// so one failed connection leaves the others alone. A pod that stops reading does hold up the others once
/// 256 KiB of its connection wait: SPDY has no flow control, so kubectl's TCP connection is the only backpressure,
/// and buffering without bound (or dropping a merely slow connection) would be worse. Clients that send no
/// requestID are paired as the kubelet pairs them: the data stream's id is its error stream's id plus 2.
/// </summary>
internal sealed class PortForwardSession
{
    private readonly SpdyServerSession _spdy;
    private readonly PodStreamTarget _target;
    private readonly Func<int, CancellationToken, Task<TunnelStream>> _open;
    private readonly Lock _gate = new();

    // Under _gate: the SPDY read loop adds, a finished connection takes itself out.
    private readonly Dictionary<string, PortForwardConnection> _byRequest = new(StringComparer.Ordinal);
    private readonly Dictionary<int, (PortForwardConnection Connection, Task Run)> _byDataStream = [];
    private readonly CancellationTokenSource _ended = new();

    public PortForwardSession(Stream transport, PodStreamTarget target, Func<int, CancellationToken, Task<TunnelStream>> open)
    {
        _target = target;
        _open = open;
        _spdy = new SpdyServerSession(transport)
        {
            StreamOpened = OnStreamOpened,
            DataReceived = OnDataAsync,
            StreamReset = OnReset,
        };
    }

    /// <summary>Serves until kubectl closes the connection; then every connection still open is reset.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _spdy.RunAsync(cancellationToken);
        }
        finally
        {
            await _ended.CancelAsync();
            Task[] running;
            lock (_gate)
            {
                running = [.. _byDataStream.Values.Select(static c => c.Run)];
            }

            await Task.WhenAll(running);
            _ended.Dispose();
        }
    }

    private ValueTask OnStreamOpened(int streamId, IReadOnlyDictionary<string, string> headers)
    {
        var type = headers.GetValueOrDefault("streamtype");
        if (type is not ("error" or "data"))
        {
            // Not a stream of this protocol: nothing is sent on it.
            return ValueTask.CompletedTask;
        }

        var requestId = headers.GetValueOrDefault("requestid") ?? (type == "error" ? streamId : streamId - 2).ToString(CultureInfo.InvariantCulture);
        lock (_gate)
        {
            if (!_byRequest.TryGetValue(requestId, out var connection))
            {
                connection = new PortForwardConnection(_spdy, _target);
                _byRequest[requestId] = connection;
            }

            if (type == "error")
            {
                connection.ErrorStreamId = streamId;
                return ValueTask.CompletedTask;
            }

            connection.DataStreamId = streamId;
            connection.PortHeader = headers.GetValueOrDefault("port");
            _byDataStream[streamId] = (connection, Task.Run(() => RunConnectionAsync(requestId, streamId, connection)));
        }

        return ValueTask.CompletedTask;
    }

    private async Task RunConnectionAsync(string requestId, int dataStreamId, PortForwardConnection connection)
    {
        try
        {
            await connection.RunAsync(_open, _ended.Token);
        }
        catch (Exception gone) when (gone is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // kubectl's connection ended under it: nothing is left to tell.
        }
        finally
        {
            lock (_gate)
            {
                _byRequest.Remove(requestId);
                _byDataStream.Remove(dataStreamId);
            }
        }
    }

    private ValueTask OnDataAsync(int streamId, ReadOnlyMemory<byte> data, bool fin)
    {
        PortForwardConnection? connection;
        lock (_gate)
        {
            connection = _byDataStream.GetValueOrDefault(streamId).Connection;
        }

        return connection is null ? ValueTask.CompletedTask : connection.ReceiveAsync(data, fin);
    }

    private ValueTask OnReset(int streamId)
    {
        lock (_gate)
        {
            _byDataStream.GetValueOrDefault(streamId).Connection?.Abort();
        }

        return ValueTask.CompletedTask;
    }
}
