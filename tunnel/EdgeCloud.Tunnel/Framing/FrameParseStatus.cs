namespace EdgeCloud.Tunnel.Framing;

/// <summary>What <see cref="FrameParser.TryParse"/> found at the start of the buffer.</summary>
internal enum FrameParseStatus
{
    /// <summary>The buffer holds the start of a valid frame but not all of it; nothing was consumed.</summary>
    NeedMore,

    /// <summary>A complete, valid frame was parsed and consumed.</summary>
    Frame,

    /// <summary>The bytes cannot be a valid frame: the session must end.</summary>
    ProtocolError,
}
