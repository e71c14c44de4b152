namespace EdgeCloud.Tunnel;

/// <summary>The peer sent bytes that break the tunnel protocol; the session ends with this error.</summary>
public sealed class TunnelProtocolException : Exception
{
    /// <summary>Creates the exception with what was wrong.</summary>
    public TunnelProtocolException(string message)
        : base(message)
    {
    }
}
