namespace EdgeCloud.Tunnel.Framing;

/// <summary>The second byte of every frame. Values outside this list are a protocol error.</summary>
internal enum FrameType : byte
{
    /// <summary>Opens a stream. Payload: the opener's receive window (uint32, big-endian) then the header (target) bytes.</summary>
    Open = 1,

    /// <summary>Accepts a stream. Payload: the acceptor's receive window (uint32, big-endian).</summary>
    OpenAck = 2,

    /// <summary>Refuses a stream. Payload: the reason, UTF-8.</summary>
    OpenRefuse = 3,

    /// <summary>Stream bytes; never more than the receiver's remaining credit.</summary>
    Data = 4,

    /// <summary>Returns credit to the sender. Payload: the increment (uint32, big-endian, at least 1).</summary>
    WindowUpdate = 5,

    /// <summary>The sender will write no more on this stream; it may still read.</summary>
    HalfClose = 6,

    /// <summary>Aborts the stream in both directions. Payload: the reason, UTF-8.</summary>
    Reset = 7,

    /// <summary>Keepalive probe on stream 0; answered with <see cref="Pong"/>.</summary>
    Ping = 8,

    /// <summary>Keepalive answer on stream 0.</summary>
    Pong = 9,

    /// <summary>The sender accepts no new streams and closes once its streams have drained. Payload: reason, UTF-8.</summary>
    GoAway = 10,
}
