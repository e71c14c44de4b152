namespace EdgeCloud.Tunnel.Node;

/// <summary>The peer broke the exec framing (<see cref="ExecFrameParser"/>) or ended the stream mid-frame.</summary>
public sealed class ExecProtocolException : IOException
{
    /// <summary>Creates the exception with what was wrong.</summary>
    public ExecProtocolException(string message)
        : base(message)
    {
    }
}
