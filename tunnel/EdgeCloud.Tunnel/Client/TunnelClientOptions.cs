using System.Net.WebSockets;

namespace EdgeCloud.Tunnel;

/// <summary>Settings of a <see cref="TunnelClient"/>.</summary>
public sealed class TunnelClientOptions
{
    /// <summary>
    /// Servers to dial, <c>wss://</c> or <c>ws://</c>, in order of preference. After a failed dial the next one is
    /// tried (failover); after a session that was up ends, the same one is tried first.
    /// </summary>
    public IReadOnlyList<Uri> Endpoints { get; set; } = [];

    /// <summary>Configures each <see cref="ClientWebSocket"/> before it dials: headers for authentication, client certificates, TLS validation.</summary>
    public Action<ClientWebSocketOptions>? ConfigureWebSocket { get; set; }

    /// <summary>
    /// The HTTP stack to dial through, e.g. a <see cref="System.Net.Http.SocketsHttpHandler"/> with a proxy or a
    /// connect callback. When set, TLS settings belong on it rather than in <see cref="ConfigureWebSocket"/>. Not disposed by the client.
    /// </summary>
    public HttpMessageInvoker? HttpMessageInvoker { get; set; }

    /// <summary>Decides on streams the server opens towards this side (logs, exec, port-forward); null refuses them all.</summary>
    public TunnelStreamHandler? StreamHandler { get; set; }

    /// <summary>
    /// Called each time a session is established, the first time and after every reconnect: the place to (re)open
    /// the streams this side keeps open. Its failure is logged and the session stays up.
    /// </summary>
    public Func<TunnelSession, CancellationToken, Task>? SessionEstablished { get; set; }

    /// <summary>Settings of each session.</summary>
    public TunnelOptions Tunnel { get; set; } = new();

    /// <summary>Limit of one dial, TCP, TLS and upgrade together. Defaults to 15 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Delay before the first retry; it doubles per consecutive failure, with jitter. Defaults to 1 second.</summary>
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the retry delay. Defaults to 30 seconds.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws <see cref="ArgumentException"/> saying what to fix when a value cannot work.</summary>
    public void Validate()
    {
        if (Endpoints is not { Count: > 0 })
        {
            throw new ArgumentException("TunnelClientOptions.Endpoints is empty: give at least one wss:// (or ws://) URL of a tunnel endpoint.");
        }

        foreach (var endpoint in Endpoints)
        {
            if (endpoint is not { IsAbsoluteUri: true } || (endpoint.Scheme != "wss" && endpoint.Scheme != "ws"))
            {
                throw new ArgumentException($"TunnelClientOptions.Endpoints holds \"{endpoint}\"; each endpoint must be an absolute wss:// or ws:// URL.");
            }
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"TunnelClientOptions.ConnectTimeout is {ConnectTimeout}; set a positive time (default 15 s).");
        }

        if (ReconnectInitialDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectInitialDelay)
        {
            throw new ArgumentException($"TunnelClientOptions.ReconnectInitialDelay ({ReconnectInitialDelay}) must be positive and ReconnectMaxDelay ({ReconnectMaxDelay}) at least as long (defaults 1 s and 30 s).");
        }

        ArgumentNullException.ThrowIfNull(Tunnel, "TunnelClientOptions.Tunnel");
        Tunnel.Validate();
    }
}
