namespace EdgeCloud.Tunnel;

/// <summary>A stream was reset, by the peer or locally; its reads and writes fail with this. The session is unaffected.</summary>
public sealed class TunnelStreamResetException : IOException
{
    /// <summary>Creates the exception.</summary>
    public TunnelStreamResetException(string reason, bool byPeer)
        : base(byPeer ? $"the peer reset the stream: {reason}" : $"the stream was reset: {reason}")
    {
        Reason = reason;
        ByPeer = byPeer;
    }

    /// <summary>The reason given with the reset.</summary>
    public string Reason { get; }

    /// <summary>True when the peer reset the stream, false when this side did.</summary>
    public bool ByPeer { get; }
}
