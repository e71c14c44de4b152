using System.Buffers;
using System.Buffers.Binary;
using System.Text.Unicode;

namespace EdgeCloud.Tunnel.Framing;

/// <summary>
/// The frame format, both directions, all frames alike:
/// <code>
/// version   1 byte      always 1
/// type      1 byte      <see cref="FrameType"/>
/// stream id varint      unsigned LEB128, minimal, 0 .. 2^31-1 (0 only for Ping, Pong, GoAway)
/// length    varint      unsigned LEB128, minimal, 0 .. <see cref="MaxPayloadLength"/>
/// payload   length bytes
/// </code>
/// Frames are concatenated in the binary WebSocket messages; a message boundary means nothing. The parser is
/// strict: anything that is not exactly a valid frame is a protocol error, found as early as the bytes allow
/// (an oversized length is rejected before its payload arrives), so garbage can neither crash nor stall a session.
/// It never throws.
/// </summary>
internal static class FrameParser
{
    public const byte Version = 1;

    /// <summary>The largest payload of any frame: 64 KiB.</summary>
    public const int MaxPayloadLength = 64 * 1024;

    /// <summary>Version, type, a 5-byte stream id and a 3-byte length.</summary>
    public const int MaxHeaderLength = 10;

    /// <summary>The largest header (target) an Open frame carries, after its 4-byte window.</summary>
    public const int MaxOpenHeaderLength = 4096;

    /// <summary>The largest UTF-8 reason in OpenRefuse, Reset and GoAway.</summary>
    public const int MaxReasonLength = 1024;

    private const int MaxVarintLength = 5;

    public static FrameParseStatus TryParse(ref ReadOnlySequence<byte> buffer, out TunnelFrame frame, out string? error)
    {
        frame = default;
        error = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out var version))
        {
            return FrameParseStatus.NeedMore;
        }

        if (version != Version)
        {
            error = $"unsupported frame version {version} (expected {Version})";
            return FrameParseStatus.ProtocolError;
        }

        if (!reader.TryRead(out var typeByte))
        {
            return FrameParseStatus.NeedMore;
        }

        if (typeByte is < (byte)FrameType.Open or > (byte)FrameType.GoAway)
        {
            error = $"unknown frame type {typeByte}";
            return FrameParseStatus.ProtocolError;
        }

        var type = (FrameType)typeByte;
        var status = TryReadVarint(ref reader, int.MaxValue, "stream id", out var streamId, out error);
        if (status != FrameParseStatus.Frame)
        {
            return status;
        }

        var connectionLevel = type is FrameType.Ping or FrameType.Pong or FrameType.GoAway;
        if (connectionLevel != (streamId == 0))
        {
            error = connectionLevel ? $"{type} frame on stream {streamId} (must be stream 0)" : $"{type} frame on stream 0";
            return FrameParseStatus.ProtocolError;
        }

        status = TryReadVarint(ref reader, MaxPayloadLength, "payload length", out var length, out error);
        if (status != FrameParseStatus.Frame)
        {
            return status;
        }

        if (CheckLength(type, length) is { } lengthError)
        {
            error = lengthError;
            return FrameParseStatus.ProtocolError;
        }

        if (reader.Remaining < length)
        {
            return FrameParseStatus.NeedMore;
        }

        var payload = reader.UnreadSequence.Slice(0, length);
        if (CheckPayload(type, payload) is { } payloadError)
        {
            error = payloadError;
            return FrameParseStatus.ProtocolError;
        }

        frame = new TunnelFrame(type, streamId, payload);
        buffer = buffer.Slice(payload.End);
        return FrameParseStatus.Frame;
    }

    /// <summary>The window or increment at the start of a valid Open, OpenAck or WindowUpdate payload (1 .. 2^31-1).</summary>
    public static int ReadWindow(ReadOnlySequence<byte> payload) => (int)ReadUInt32(payload);

    private static string? CheckLength(FrameType type, int length) => type switch
    {
        FrameType.Open when length is < 4 or > 4 + MaxOpenHeaderLength => $"Open payload of {length} bytes (4 to {4 + MaxOpenHeaderLength})",
        FrameType.OpenAck or FrameType.WindowUpdate when length != 4 => $"{type} payload of {length} bytes (must be 4)",
        FrameType.HalfClose or FrameType.Ping or FrameType.Pong when length != 0 => $"{type} payload of {length} bytes (must be empty)",
        FrameType.OpenRefuse or FrameType.Reset or FrameType.GoAway when length > MaxReasonLength => $"{type} reason of {length} bytes (at most {MaxReasonLength})",
        FrameType.Data when length == 0 => "empty Data frame",
        _ => null,
    };

    private static string? CheckPayload(FrameType type, ReadOnlySequence<byte> payload)
    {
        switch (type)
        {
            case FrameType.Open or FrameType.OpenAck or FrameType.WindowUpdate:
                var value = ReadUInt32(payload);
                return value is 0 or > int.MaxValue ? $"{type} with window or increment {value} (1 to {int.MaxValue})" : null;
            case FrameType.OpenRefuse or FrameType.Reset or FrameType.GoAway:
                Span<byte> reason = stackalloc byte[MaxReasonLength];
                payload.CopyTo(reason);
                return Utf8.IsValid(reason[..(int)payload.Length]) ? null : $"{type} reason is not valid UTF-8";
            default:
                return null;
        }
    }

    private static uint ReadUInt32(ReadOnlySequence<byte> payload)
    {
        Span<byte> bytes = stackalloc byte[4];
        payload.Slice(0, 4).CopyTo(bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    /// <summary>
    /// Unsigned LEB128, at most 5 bytes, minimal (no trailing zero groups). A value that cannot stay within
    /// <paramref name="maxValue"/> is rejected as soon as that is certain, without waiting for its last byte.
    /// </summary>
    private static FrameParseStatus TryReadVarint(ref SequenceReader<byte> reader, int maxValue, string what, out int value, out string? error)
    {
        value = 0;
        error = null;
        ulong result = 0;
        for (var i = 0; i < MaxVarintLength; i++)
        {
            if (!reader.TryRead(out var b))
            {
                return FrameParseStatus.NeedMore;
            }

            result |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0)
                {
                    error = $"{what} is not minimally encoded";
                    return FrameParseStatus.ProtocolError;
                }

                if (result > (ulong)maxValue)
                {
                    error = $"{what} {result} exceeds the maximum of {maxValue}";
                    return FrameParseStatus.ProtocolError;
                }

                value = (int)result;
                return FrameParseStatus.Frame;
            }

            // A continuation byte promises a further non-zero group: the value will be at least this.
            var least = result + (1UL << (7 * (i + 1)));
            if (least > (ulong)maxValue)
            {
                error = $"{what} exceeds the maximum of {maxValue}";
                return FrameParseStatus.ProtocolError;
            }
        }

        error = $"{what} is longer than {MaxVarintLength} bytes";
        return FrameParseStatus.ProtocolError;
    }
}
