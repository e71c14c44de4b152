namespace EdgeCloud.Server.NodeProxy.Spdy;

/// <summary>The fixed 8 bytes of a SPDY frame.</summary>
/// <param name="Type">The control type, or <see cref="SpdyFrameType.Data"/>.</param>
/// <param name="Flags">FLAG_FIN (1), FLAG_UNIDIRECTIONAL (2) on SYN_STREAM.</param>
/// <param name="StreamId">The stream of a data frame; 0 for control frames (their stream id is in the payload).</param>
/// <param name="Length">Payload bytes.</param>
internal readonly record struct SpdyFrameHeader(SpdyFrameType Type, byte Flags, int StreamId, int Length)
{
    public const byte FlagFin = 0x01;

    public bool IsFin => (Flags & FlagFin) != 0;
}
