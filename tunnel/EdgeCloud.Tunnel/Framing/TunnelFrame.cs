using System.Buffers;

namespace EdgeCloud.Tunnel.Framing;

/// <summary>One parsed frame. <see cref="Payload"/> points into the parser's input and is valid until that is reused.</summary>
internal readonly struct TunnelFrame(FrameType type, int streamId, ReadOnlySequence<byte> payload)
{
    public FrameType Type { get; } = type;

    public int StreamId { get; } = streamId;

    public ReadOnlySequence<byte> Payload { get; } = payload;
}
