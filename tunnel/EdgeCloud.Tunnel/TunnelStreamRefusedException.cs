namespace EdgeCloud.Tunnel;

/// <summary>The peer refused to open a stream. The session is unaffected.</summary>
public sealed class TunnelStreamRefusedException : Exception
{
    /// <summary>Creates the exception with the peer's reason.</summary>
    public TunnelStreamRefusedException(string reason)
        : base($"the peer refused the stream: {reason}")
    {
        Reason = reason;
    }

    /// <summary>The reason the peer gave.</summary>
    public string Reason { get; }
}
