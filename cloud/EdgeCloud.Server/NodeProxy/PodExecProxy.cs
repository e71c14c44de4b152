using System.Net.WebSockets;
using EdgeCloud.Kube.Api;
using EdgeCloud.Server.Api;
using EdgeCloud.Tunnel.Node;

namespace EdgeCloud.Server.NodeProxy;

/// <summary>
/// GET|POST pods/{name}/exec: checks the request, opens the node stream (so that a missing container still answers
/// as a plain Status), then upgrades kubectl's connection to a WebSocket (kubectl 1.30+) or SPDY/3.1 (older) and relays.
/// </summary>
internal sealed partial class PodExecProxy(PodStreamTargets targets, ExecRelay relay, TimeProvider timeProvider, ILogger<PodExecProxy> logger)
{
    public async Task HandleAsync(HttpContext context, string ns, string name)
    {
        await targets.AuthorizeAsync(context, ns, name, "exec");
        var request = context.Request;
        var query = request.Query;
        var command = query["command"].Where(static c => c is not null).Select(static c => c!).ToList();
        if (command.Count == 0)
        {
            throw KubeApiException.BadRequest("you must specify at least 1 command");
        }

        var tty = StreamQuery.Bool(query, "tty");
        var options = new NodeExecOptions
        {
            Command = command,
            Stdin = StreamQuery.Bool(query, "stdin"),
            Stdout = StreamQuery.Bool(query, "stdout"),
            Stderr = StreamQuery.Bool(query, "stderr") && !tty,
            Tty = tty,
        };
        if (!options.Stdin && !options.Stdout && !options.Stderr)
        {
            throw KubeApiException.BadRequest("you must specify at least 1 of stdin, stdout, stderr");
        }

        var subProtocol = StreamUpgrades.Negotiate(request, WebSocketExecClient.Protocols, SpdyExecClient.Protocol);

        var aborted = context.RequestAborted;
        var target = await targets.ResolveAsync(ClusterRequest.Of(context).Cluster, ns, name, StreamQuery.String(query, "container"), aborted);
        byte[] header;
        try
        {
            header = new NodeStreamHeader
            {
                Kind = NodeStreamKind.Exec,
                Namespace = ns,
                Pod = name,
                PodUid = target.PodUid,
                Container = target.Container,
                Exec = options,
            }.Encode();
        }
        catch (ArgumentException tooLong)
        {
            throw KubeApiException.BadRequest(tooLong.Message);
        }

        await using var node = await targets.OpenAsync(target, header, aborted);
        try
        {
            await using IExecClient client = subProtocol is not null
                ? await WebSocketExecClient.AcceptAsync(context, subProtocol, options)
                : await SpdyExecClient.AcceptAsync(context, options, timeProvider, aborted);
            await relay.RunAsync(client, node, command, aborted);
        }
        catch (Exception error) when (context.Response.HasStarted && error is IOException or WebSocketException or OperationCanceledException)
        {
            // Once upgraded there is no HTTP response left to fail: the connection broke or the client went away.
            LogConnectionLost(logger, ns, name, error);
            node.Reset("the exec client connection was lost");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "exec into {Namespace}/{Pod}: the client connection was lost")]
    private static partial void LogConnectionLost(ILogger logger, string @namespace, string pod, Exception error);
}
