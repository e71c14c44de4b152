using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Tunnel;

namespace EdgeCloud.Server.Nodes;

/// <summary>
/// Where agents dial in: one WebSocket per agent at <see cref="Path"/>, authenticated at the handshake by the join
/// token (which names the cluster), the node name and the node password (first join records it; later joins must
/// match, as K3s' node-password check does). The session is then the node's: the agent's "api" streams are served
/// as API connections with the node's identity, and the cloud opens streams into the node through
/// <see cref="NodeTunnels"/>.
/// </summary>
internal static partial class AgentTunnelEndpoint
{
    /// <summary>The tunnel path (K3s' agents connect to /v1-k3s/connect).</summary>
    public const string Path = "/v1-edgecloud/connect";

    /// <summary>The handshake header naming the node.</summary>
    public const string NodeNameHeader = "X-EdgeCloud-Node-Name";

    /// <summary>The handshake header carrying the node password.</summary>
    public const string NodePasswordHeader = "X-EdgeCloud-Node-Password";

    /// <summary>The cluster an agent joined before (it keeps it after its first join), so it can return without a valid join token.</summary>
    public const string ClusterHeader = "X-EdgeCloud-Cluster";

    /// <summary>The target of an agent stream that carries HTTP/1.1 API requests.</summary>
    public const string ApiTarget = "api";

    /// <summary>Over an agent's own "api" stream: which cluster and node the session belongs to (JSON {cluster, node}).</summary>
    public const string IdentityPath = "/v1-edgecloud/node";

    /// <summary>Maps the agent tunnel endpoint, and the identity endpoint its API connections ask first.</summary>
    public static void MapAgentTunnel(this IEndpointRouteBuilder app)
    {
        app.MapGet(IdentityPath, static (HttpContext context) => context.Features.Get<NodeIdentity>() is { } node
            ? Results.Json(new NodeIdentity(node.Cluster, node.Node), ServerJsonContext.Default.NodeIdentity)
            : Results.NotFound());
        var services = app.ServiceProvider;
        var joinTokens = services.GetRequiredService<JoinTokens>();
        var passwords = services.GetRequiredService<NodePasswords>();
        var transport = services.GetRequiredService<TunnelApiTransport>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AgentTunnelEndpoint));
        app.MapTunnel(Path, new TunnelServerOptions
        {
            Registry = services.GetRequiredService<NodeTunnels>().Registry,
            Authenticate = context => AuthenticateAsync(context, joinTokens, passwords, logger),
            StreamHandler = (incoming, cancellationToken) => ServeStreamAsync(incoming, transport, cancellationToken),
        });
    }

    private static async ValueTask<TunnelAuthResult> AuthenticateAsync(HttpContext context, JoinTokens joinTokens, NodePasswords passwords, ILogger logger)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return TunnelAuthResult.Unauthorized("a join token is required (Authorization: Bearer K10...)");
        }

        var node = context.Request.Headers[NodeNameHeader].ToString();
        if (NodeNameProblem(node) is { } problem)
        {
            return TunnelAuthResult.BadRequest(problem);
        }

        var password = context.Request.Headers[NodePasswordHeader].ToString();
        if (password.Length is < 16 or > 512)
        {
            return TunnelAuthResult.Unauthorized($"a node password of 16 to 512 characters is required ({NodePasswordHeader})");
        }

        var joined = context.Request.Headers[ClusterHeader].ToString();
        if (await joinTokens.FindClusterAsync(header[scheme.Length..].Trim(), context.RequestAborted) is not { } cluster)
        {
            // A revoked or rotated join token stops new joins only: a node that joined before comes back with its
            // cluster and node password, which the cloud checks against the hash it recorded at the first join.
            return joined.Length > 0 && await passwords.VerifyExistingAsync(joined, node, password, context.RequestAborted)
                ? TunnelAuthResult.Success(NodeTunnels.IdentityOf(joined, node))
                : TunnelAuthResult.Unauthorized("invalid join token");
        }

        if (joined.Length > 0 && joined != cluster)
        {
            return TunnelAuthResult.Forbidden($"this agent joined cluster \"{joined}\"; the join token is for another cluster (remove the agent's data directory to join it)");
        }

        if (!await passwords.VerifyOrRecordAsync(cluster, node, password, context.RequestAborted))
        {
            LogPasswordRejected(logger, cluster, node, context.Connection.RemoteIpAddress?.ToString());
            return TunnelAuthResult.Forbidden($"node password rejected: node \"{node}\" already joined with another password (a duplicate node name, or the agent's node-password file changed)");
        }

        return TunnelAuthResult.Success(NodeTunnels.IdentityOf(cluster, node));
    }

    /// <summary>Why <paramref name="node"/> cannot be a node name (it must be a DNS subdomain), or null.</summary>
    public static string? NodeNameProblem(string node)
    {
        if (node.Length == 0)
        {
            return $"the node name is required ({NodeNameHeader})";
        }

        // The password Secret is named after the node, so the name must leave room for its suffix.
        var longest = ObjectNames.MaxSubdomainLength - NodePasswords.SecretName("").Length;
        if (node.Length > longest)
        {
            return $"node name \"{node[..32]}...\" is longer than {longest} characters";
        }

        var errors = ObjectNames.Check(ObjectNameRule.DnsSubdomain, node, "metadata.name", prefix: false);
        return errors.Count == 0 ? null : $"node name \"{node}\" is invalid: {errors[0].Message}";
    }

    private static async Task ServeStreamAsync(TunnelIncomingStream incoming, TunnelApiTransport transport, CancellationToken cancellationToken)
    {
        if (incoming.Target != ApiTarget)
        {
            incoming.Refuse($"the cloud serves no stream target \"{incoming.Target}\"");
            return;
        }

        await transport.ServeAsync(incoming, NodeTunnels.NodeOf(incoming.Session), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster {Cluster}: an agent from {Remote} claimed node {Node} with another node password: refused")]
    private static partial void LogPasswordRejected(ILogger logger, string cluster, string node, string? remote);
}
