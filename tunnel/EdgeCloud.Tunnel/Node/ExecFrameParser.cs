using System.Buffers;
using System.Buffers.Binary;
using System.Text.Unicode;

namespace EdgeCloud.Tunnel.Node;

/// <summary>
/// The exec framing inside one tunnel stream, both directions:
/// <code>
/// channel   1 byte      <see cref="ExecChannel"/>
/// length    4 bytes     big-endian, 0 .. <see cref="MaxPayloadLength"/>
/// payload   length bytes
/// </code>
/// Strict: an unknown channel, an oversized length (rejected before its payload arrives) or a payload that does
/// not fit its channel (Exit and Resize exactly 4 bytes, StdinEnd empty, Error valid UTF-8) is invalid. Never throws.
/// </summary>
public static class ExecFrameParser
{
    /// <summary>Channel byte and length.</summary>
    public const int HeaderLength = 5;

    /// <summary>The largest payload of a frame: 64 KiB. Writers split longer data.</summary>
    public const int MaxPayloadLength = 64 * 1024;

    /// <summary>
    /// Looks for one frame at the start of <paramref name="buffer"/>. On <see cref="ExecFrameParseStatus.Complete"/>,
    /// <paramref name="payload"/> is the frame's payload and <paramref name="consumed"/> the position after it.
    /// </summary>
    public static ExecFrameParseStatus TryParse(in ReadOnlySequence<byte> buffer, out ExecChannel channel, out ReadOnlySequence<byte> payload, out SequencePosition consumed, out string? error)
    {
        channel = default;
        payload = default;
        consumed = buffer.Start;
        error = null;
        if (buffer.IsEmpty)
        {
            return ExecFrameParseStatus.Incomplete;
        }

        var first = buffer.FirstSpan[0];
        if (first > (byte)ExecChannel.Error)
        {
            error = $"unknown exec channel {first}";
            return ExecFrameParseStatus.Invalid;
        }

        channel = (ExecChannel)first;
        if (buffer.Length < HeaderLength)
        {
            return ExecFrameParseStatus.Incomplete;
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > MaxPayloadLength)
        {
            error = $"exec frame of {length} bytes exceeds the maximum of {MaxPayloadLength}";
            return ExecFrameParseStatus.Invalid;
        }

        var expected = channel switch
        {
            ExecChannel.Exit or ExecChannel.Resize => 4,
            ExecChannel.StdinEnd => 0,
            _ => -1,
        };
        if (expected >= 0 && length != expected)
        {
            error = $"exec {channel} frame of {length} bytes; it must have {expected}";
            return ExecFrameParseStatus.Invalid;
        }

        if (buffer.Length - HeaderLength < length)
        {
            return ExecFrameParseStatus.Incomplete;
        }

        payload = buffer.Slice(HeaderLength, length);
        if (channel == ExecChannel.Error && !IsUtf8(payload))
        {
            error = "exec error message is not valid UTF-8";
            return ExecFrameParseStatus.Invalid;
        }

        consumed = payload.End;
        return ExecFrameParseStatus.Complete;
    }

    /// <summary>Writes the header of a frame of <paramref name="length"/> bytes on <paramref name="channel"/>.</summary>
    public static void WriteHeader(Span<byte> destination, ExecChannel channel, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxPayloadLength);
        destination[0] = (byte)channel;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)length);
    }

    private static bool IsUtf8(in ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            return Utf8.IsValid(payload.FirstSpan);
        }

        return Utf8.IsValid(payload.ToArray());
    }
}
