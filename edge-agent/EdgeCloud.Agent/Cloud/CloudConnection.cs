using EdgeCloud.Agent.Join;
using EdgeCloud.Tunnel;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Agent.Cloud;

/// <summary>
/// The agent's one link to the cloud: a tunnel session dialled out over WebSocket (reconnecting with back-off and
/// failover over the configured servers), and an HTTP client whose every connection is an "api" stream of that
/// session: the agent's API calls and watches need no second connection and the device no inbound port.
/// </summary>
internal sealed class CloudConnection : IAsyncDisposable
{
    /// <summary>The cloud's tunnel path (see the server's AgentTunnelEndpoint).</summary>
    public const string TunnelPath = "/v1-edgecloud/connect";

    private readonly TunnelClient _tunnel;
    private readonly HttpClient _http;

    public CloudConnection(
        AgentOptions options, JoinToken token, string nodePassword, JoinedCluster joined, ServerTrust trust, TunnelStreamHandler? streamHandler,
        Func<TunnelSession, CancellationToken, Task>? sessionEstablished, TimeProvider time, ILoggerFactory loggers)
    {
        _tunnel = new TunnelClient(
            new TunnelClientOptions
            {
                Endpoints = [.. options.Servers.Select(TunnelUri)],
                ConfigureWebSocket = socket =>
                {
                    socket.SetRequestHeader("Authorization", "Bearer " + token.Text);
                    socket.SetRequestHeader("X-EdgeCloud-Node-Name", options.NodeName);
                    socket.SetRequestHeader("X-EdgeCloud-Node-Password", nodePassword);
                    if (joined.Current is { } cluster)
                    {
                        socket.SetRequestHeader("X-EdgeCloud-Cluster", cluster);
                    }

                    socket.RemoteCertificateValidationCallback = (_, certificate, _, errors) => trust.Validate(certificate, errors);
                },
                StreamHandler = streamHandler,
                SessionEstablished = sessionEstablished,
                ReconnectInitialDelay = options.ReconnectInitialDelay,
                ReconnectMaxDelay = options.ReconnectMaxDelay,
            },
            time,
            loggers.CreateLogger<TunnelClient>());
        var handler = new SocketsHttpHandler
        {
            // Every HTTP connection is a new stream on the live session; a connection dies with its session.
            ConnectCallback = async (_, cancellationToken) =>
            {
                var session = _tunnel.CurrentSession ?? await _tunnel.WaitForSessionAsync(cancellationToken);
                return await session.OpenStreamAsync("api", cancellationToken);
            },
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxConnectionsPerServer = 16,
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://edgecloud.tunnel/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The HTTP client over the tunnel (paths relative to the cloud's root).</summary>
    public HttpClient Http => _http;

    /// <summary>The tunnel client (its current session, reconnect count).</summary>
    public TunnelClient Tunnel => _tunnel;

    /// <summary>Starts dialling.</summary>
    public void Start() => _tunnel.Start();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _tunnel.DisposeAsync();
    }

    private static Uri TunnelUri(Uri server) =>
        new UriBuilder(server) { Scheme = server.Scheme == "http" ? "ws" : "wss", Path = TunnelPath }.Uri;
}
