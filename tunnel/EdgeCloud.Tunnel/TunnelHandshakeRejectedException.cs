namespace EdgeCloud.Tunnel;

/// <summary>The server refused the tunnel handshake (400, 401 or 403 from its authentication hook), with its reason.</summary>
public sealed class TunnelHandshakeRejectedException : Exception
{
    /// <summary>The response header that carries the refusal's reason (URI-escaped).</summary>
    public const string ReasonHeader = "X-Tunnel-Refusal";

    /// <summary>Creates the exception for a refusal by <paramref name="endpoint"/>.</summary>
    public TunnelHandshakeRejectedException(Uri endpoint, int statusCode, string reason)
        : base($"{endpoint} refused the tunnel ({statusCode}): {reason}")
    {
        Endpoint = endpoint;
        StatusCode = statusCode;
        Reason = reason;
    }

    /// <summary>The endpoint that refused.</summary>
    public Uri Endpoint { get; }

    /// <summary>The HTTP status of the refusal.</summary>
    public int StatusCode { get; }

    /// <summary>The server's reason.</summary>
    public string Reason { get; }
}
