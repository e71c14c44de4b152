namespace EdgeCloud.Tunnel;

/// <summary>The session ended (or is shutting down) while a stream or an open still needed it.</summary>
public sealed class TunnelSessionClosedException : IOException
{
    /// <summary>Creates the exception; <paramref name="innerException"/> is why the session ended, if it failed.</summary>
    public TunnelSessionClosedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
