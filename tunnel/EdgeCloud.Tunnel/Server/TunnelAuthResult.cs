using Microsoft.AspNetCore.Http;

namespace EdgeCloud.Tunnel;

/// <summary>What the server's authentication hook decided about a tunnel handshake, before the WebSocket upgrade.</summary>
public sealed class TunnelAuthResult
{
    private TunnelAuthResult(bool succeeded, string? identity, int statusCode, string? failureReason)
    {
        Succeeded = succeeded;
        Identity = identity;
        StatusCode = statusCode;
        FailureReason = failureReason;
    }

    /// <summary>True when the peer may open a session.</summary>
    public bool Succeeded { get; }

    /// <summary>Who the peer is (e.g. the node name); the key of <see cref="TunnelSessionRegistry"/>.</summary>
    public string? Identity { get; }

    /// <summary>HTTP status answered instead of the upgrade: 400, 401 or 403 on failure.</summary>
    public int StatusCode { get; }

    /// <summary>Why the handshake was rejected; sent as the plain-text response body.</summary>
    public string? FailureReason { get; }

    /// <summary>The peer is <paramref name="identity"/>; a session of the same identity is replaced.</summary>
    public static TunnelAuthResult Success(string identity)
    {
        ArgumentException.ThrowIfNullOrEmpty(identity);
        return new TunnelAuthResult(true, identity, StatusCodes.Status101SwitchingProtocols, null);
    }

    /// <summary>No or bad credentials: HTTP 401.</summary>
    public static TunnelAuthResult Unauthorized(string reason) => new(false, null, StatusCodes.Status401Unauthorized, reason);

    /// <summary>A malformed handshake (e.g. a missing or invalid header): HTTP 400.</summary>
    public static TunnelAuthResult BadRequest(string reason) => new(false, null, StatusCodes.Status400BadRequest, reason);

    /// <summary>Valid credentials that may not open a tunnel: HTTP 403.</summary>
    public static TunnelAuthResult Forbidden(string reason) => new(false, null, StatusCodes.Status403Forbidden, reason);
}
