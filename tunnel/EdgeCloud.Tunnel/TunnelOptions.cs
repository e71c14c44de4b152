namespace EdgeCloud.Tunnel;

/// <summary>Settings of one tunnel session, the same on both ends. Checked by <see cref="Validate"/> when a session starts.</summary>
public sealed class TunnelOptions
{
    /// <summary>
    /// A side that has received nothing for this long sends a Ping (both ends do so on their own, so a dropped
    /// carrier-NAT mapping is noticed on both sides). Defaults to 15 seconds.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A side that has received nothing for this long declares the peer dead and ends the session with a
    /// <see cref="TimeoutException"/>. Must be longer than <see cref="KeepAliveInterval"/>. Defaults to 45 seconds.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// Receive window of a stream, in bytes: how much the peer may send on it before this side's reader has
    /// consumed it. A reader that stops reading stalls only its own stream once this much is buffered.
    /// Credit goes back in halves of it, so a reader that keeps up lets 256 KiB or more stay in flight: a 256 KiB
    /// window left a loopback sender waiting for credit every third 64 KiB write. Defaults to 524,288 bytes (512 KiB).
    /// </summary>
    public int InitialStreamWindow { get; set; } = 512 * 1024;

    /// <summary>
    /// Largest receive window a stream grows to, in bytes. A stream whose reader keeps up has its window doubled as
    /// it returns credit (while the growth of all streams together stays within an eighth of
    /// <see cref="SessionReceiveBudget"/>), so a bulk transfer needs fewer WindowUpdates; a reader that then stops
    /// has at most this much buffered for it.
    /// At least <see cref="InitialStreamWindow"/> (equal: windows never grow). Defaults to 4,194,304 bytes (4 MiB).
    /// </summary>
    public int MaxStreamWindow { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Upper bound, in bytes, of the receive windows granted at open to all streams of a session together. Once it
    /// is used up, new streams get a 16 KiB window. Windows grow (see <see cref="MaxStreamWindow"/>) by at most an
    /// eighth of this beyond, so a session buffers at most 1.125 times this plus 16 KiB per stream.
    /// Defaults to 33,554,432 bytes (32 MiB).
    /// </summary>
    public int SessionReceiveBudget { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// Writes of at most this many bytes (a keystroke, a log line) go out before bulk in every WebSocket message, in
    /// one frame each, so they wait for at most the message being sent; larger writes take turns with the other
    /// streams in frames of up to 64 KiB. 1,024 to 65,536; defaults to 16,384 bytes (16 KiB).
    /// </summary>
    public int DataFrameSize { get; set; } = 16 * 1024;

    /// <summary>Streams the peer may have open to this side at once; further opens are refused. Defaults to 1,024.</summary>
    public int MaxConcurrentStreams { get; set; } = 1024;

    /// <summary>
    /// How long a graceful shutdown (<see cref="TunnelSession.ShutdownAsync"/> with no deadline of its own, or a
    /// server stopping) lets open streams drain before closing. Defaults to 10 seconds.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long closing waits for the peer to answer the WebSocket close before dropping the connection. Defaults to 5 seconds.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting and how to fix it when a value is out of range.</summary>
    public void Validate()
    {
        if (KeepAliveInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"TunnelOptions.KeepAliveInterval is {KeepAliveInterval}; set a positive interval (default 15 s).");
        }

        if (KeepAliveTimeout <= KeepAliveInterval)
        {
            throw new ArgumentException($"TunnelOptions.KeepAliveTimeout ({KeepAliveTimeout}) must be longer than KeepAliveInterval ({KeepAliveInterval}); three times the interval is usual (defaults 15 s and 45 s).");
        }

        if (InitialStreamWindow is < 1024)
        {
            throw new ArgumentException($"TunnelOptions.InitialStreamWindow is {InitialStreamWindow} bytes; use at least 1,024 (default 524,288).");
        }

        if (SessionReceiveBudget < InitialStreamWindow)
        {
            throw new ArgumentException($"TunnelOptions.SessionReceiveBudget ({SessionReceiveBudget} bytes) must be at least InitialStreamWindow ({InitialStreamWindow} bytes).");
        }

        if (MaxStreamWindow < InitialStreamWindow)
        {
            throw new ArgumentException($"TunnelOptions.MaxStreamWindow ({MaxStreamWindow} bytes) must be at least InitialStreamWindow ({InitialStreamWindow} bytes); set them equal for windows that never grow (default 4,194,304).");
        }

        if (DataFrameSize is < 1024 or > Framing.FrameParser.MaxPayloadLength)
        {
            throw new ArgumentException($"TunnelOptions.DataFrameSize is {DataFrameSize} bytes; use 1,024 to {Framing.FrameParser.MaxPayloadLength:N0} (default 16,384).");
        }

        if (MaxConcurrentStreams < 1)
        {
            throw new ArgumentException($"TunnelOptions.MaxConcurrentStreams is {MaxConcurrentStreams}; allow at least 1 (default 1,024).");
        }

        if (ShutdownTimeout < TimeSpan.Zero || CloseTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"TunnelOptions.ShutdownTimeout ({ShutdownTimeout}) must not be negative and CloseTimeout ({CloseTimeout}) must be positive.");
        }
    }
}
