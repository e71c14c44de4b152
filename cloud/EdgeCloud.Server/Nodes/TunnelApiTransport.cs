using System.Net;
using System.Threading.Channels;
using EdgeCloud.Tunnel;
using Microsoft.AspNetCore.Connections;

namespace EdgeCloud.Server.Nodes;

/// <summary>
/// A Kestrel transport whose connections are the "api" streams agents open over their tunnel sessions, so an
/// agent's API calls and watches reach the same endpoints, middleware and limits as kubectl's, with no second
/// connection and no inbound port on the agent. Kestrel binds it for <see cref="TunnelApiEndPoint"/> only; the
/// socket transport keeps every other endpoint.
/// </summary>
internal sealed class TunnelApiTransport : IConnectionListenerFactory, IConnectionListenerFactorySelector, IConnectionListener
{
    /// <summary>Streams waiting for Kestrel to accept them; an agent opens few at a time (one per concurrent request).</summary>
    private readonly Channel<TunnelStreamConnection> _accepted = Channel.CreateBounded<TunnelStreamConnection>(
        new BoundedChannelOptions(1024) { SingleReader = false, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });

    public EndPoint EndPoint => TunnelApiEndPoint.Instance;

    public bool CanBind(EndPoint endpoint) => endpoint is TunnelApiEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        endpoint is TunnelApiEndPoint
            ? ValueTask.FromResult<IConnectionListener>(this)
            : throw new NotSupportedException($"the tunnel transport cannot bind {endpoint}");

    /// <summary>
    /// Serves one "api" stream of <paramref name="identity"/>'s session as an HTTP/1.1 connection; returns once
    /// Kestrel has closed it (the tunnel disposes the stream after its handler returns).
    /// </summary>
    public async Task ServeAsync(TunnelIncomingStream incoming, NodeIdentity identity, CancellationToken cancellationToken)
    {
        var connection = new TunnelStreamConnection(incoming.Accept(), identity, TunnelApiEndPoint.Instance);
        try
        {
            await _accepted.Writer.WriteAsync(connection, cancellationToken);
        }
        catch (Exception e) when (e is ChannelClosedException or OperationCanceledException)
        {
            await connection.DisposeAsync();
            return;
        }

        await connection.Disposed.WaitAsync(cancellationToken);
    }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            // Unbound: Kestrel stops accepting.
            return null;
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _accepted.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _accepted.Writer.TryComplete();
        while (_accepted.Reader.TryRead(out var waiting))
        {
            await waiting.DisposeAsync();
        }
    }
}
