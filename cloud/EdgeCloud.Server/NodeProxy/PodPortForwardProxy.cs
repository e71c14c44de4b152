using System.Net.WebSockets;
using EdgeCloud.Server.Api;
using EdgeCloud.Tunnel.Node;

namespace EdgeCloud.Server.NodeProxy;

/// <summary>
/// GET|POST pods/{name}/portforward: checks the request and the pod, then upgrades kubectl's connection and serves
/// protocol portforward.k8s.io on it, each forwarded connection a node stream to the pod's port on its agent.
/// kubectl 1.31+ tunnels the SPDY/3.1 connection inside a WebSocket (subprotocol SPDY/3.1+portforward.k8s.io); older
/// ones upgrade to SPDY/3.1 directly.
/// </summary>
internal sealed partial class PodPortForwardProxy(PodStreamTargets targets, ILogger<PodPortForwardProxy> logger)
{
    /// <summary>The port-forward protocol, version 1 (the only one there is).</summary>
    public const string Protocol = "portforward.k8s.io";

    /// <summary>The WebSocket subprotocol of SPDY tunnelled in a WebSocket.</summary>
    public const string WebSocketProtocol = "SPDY/3.1+" + Protocol;

    public async Task HandleAsync(HttpContext context, string ns, string name)
    {
        await targets.AuthorizeAsync(context, ns, name, "portforward");
        var request = context.Request;
        var webSocket = StreamUpgrades.Negotiate(request, [WebSocketProtocol], Protocol) is not null;

        var aborted = context.RequestAborted;
        var target = await targets.ResolvePodAsync(ClusterRequest.Of(context).Cluster, ns, name, aborted);
        try
        {
            await using var transport = webSocket
                ? WebSocketStream.Create(await StreamUpgrades.AcceptWebSocketAsync(context, WebSocketProtocol, TimeSpan.FromSeconds(30)), WebSocketMessageType.Binary, ownsWebSocket: true)
                : await StreamUpgrades.AcceptSpdyAsync(context, Protocol);
            var session = new PortForwardSession(transport, target, (port, cancellationToken) => targets.OpenAsync(target, new NodeStreamHeader
            {
                Kind = NodeStreamKind.PortForward,
                Namespace = ns,
                Pod = name,
                PodUid = target.PodUid,
                Container = target.Container,
                Port = port,
            }.Encode(), cancellationToken));
            await session.RunAsync(aborted);
        }
        catch (Exception error) when (context.Response.HasStarted && error is IOException or WebSocketException or OperationCanceledException or Spdy.SpdyProtocolException)
        {
            // Once upgraded there is no HTTP response left to fail: the connection broke or the client went away.
            LogConnectionLost(logger, ns, name, error);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "port-forward to {Namespace}/{Pod}: the client connection ended")]
    private static partial void LogConnectionLost(ILogger logger, string @namespace, string pod, Exception error);
}
