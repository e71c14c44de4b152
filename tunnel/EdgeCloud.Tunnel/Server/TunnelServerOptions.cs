using Microsoft.AspNetCore.Http;

namespace EdgeCloud.Tunnel;

/// <summary>Settings of a tunnel endpoint (<see cref="TunnelEndpointRouteBuilderExtensions.MapTunnel"/>).</summary>
public sealed class TunnelServerOptions
{
    /// <summary>
    /// Runs on every handshake before the WebSocket upgrade (read headers, client certificate, query). A failure
    /// is answered with its status code (401 or 403) and no upgrade happens. Required.
    /// </summary>
    public Func<HttpContext, ValueTask<TunnelAuthResult>>? Authenticate { get; set; }

    /// <summary>Decides on streams the peer opens towards the server (its API calls, watches); null refuses them all.</summary>
    public TunnelStreamHandler? StreamHandler { get; set; }

    /// <summary>Where live sessions are found by identity. Defaults to a new registry; share one to reach peers from elsewhere.</summary>
    public TunnelSessionRegistry Registry { get; set; } = new();

    /// <summary>Settings of each session.</summary>
    public TunnelOptions Tunnel { get; set; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> saying what to set when the options cannot work.</summary>
    public void Validate()
    {
        if (Authenticate is null)
        {
            throw new ArgumentException("TunnelServerOptions.Authenticate is not set: give a hook that checks the peer's credentials (return TunnelAuthResult.Success(identity) to let it in).");
        }

        ArgumentNullException.ThrowIfNull(Registry, "TunnelServerOptions.Registry");
        ArgumentNullException.ThrowIfNull(Tunnel, "TunnelServerOptions.Tunnel");
        Tunnel.Validate();
    }
}
