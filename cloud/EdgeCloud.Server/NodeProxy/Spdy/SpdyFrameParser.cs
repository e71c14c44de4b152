using System.Buffers;
using System.Buffers.Binary;

namespace EdgeCloud.Server.NodeProxy.Spdy;

/// <summary>
/// SPDY/3 frame boundaries (draft 3, section 2.2): a control frame is
/// <c>1 | version(15) | type(16) | flags(8) | length(24) | data</c>, a data frame
/// <c>0 | stream id(31) | flags(8) | length(24) | data</c>. Strict: version 3 only, a length over
/// <see cref="MaxFrameLength"/> is refused before its data arrives, fixed-size frames must have their size, and a
/// data frame of stream 0 is invalid. Unknown control types parse (the session ignores them, as the spec says). Never throws.
/// </summary>
internal static class SpdyFrameParser
{
    public const int HeaderLength = 8;

    /// <summary>The largest frame accepted: 1 MiB (kubectl writes data frames of at most 32 KiB).</summary>
    public const int MaxFrameLength = 1024 * 1024;

    public static SpdyFrameParseStatus TryParse(in ReadOnlySequence<byte> buffer, out SpdyFrameHeader header, out ReadOnlySequence<byte> payload, out SequencePosition consumed, out string? error)
    {
        header = default;
        payload = default;
        consumed = buffer.Start;
        error = null;
        if (buffer.Length < HeaderLength)
        {
            return SpdyFrameParseStatus.Incomplete;
        }

        Span<byte> bytes = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(bytes);
        var first = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        var flags = bytes[4];
        var length = (int)(BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]) & 0xFFFFFF);
        if ((first & 0x80000000) != 0)
        {
            var version = (first >> 16) & 0x7FFF;
            if (version != 3)
            {
                error = $"SPDY version {version} is not supported (only 3)";
                return SpdyFrameParseStatus.Invalid;
            }

            var type = (SpdyFrameType)(first & 0xFFFF);
            error = CheckControlLength(type, length);
            if (error is not null)
            {
                return SpdyFrameParseStatus.Invalid;
            }

            header = new SpdyFrameHeader(type, flags, 0, length);
        }
        else
        {
            var streamId = (int)(first & 0x7FFFFFFF);
            if (streamId == 0)
            {
                error = "SPDY data frame on stream 0";
                return SpdyFrameParseStatus.Invalid;
            }

            if (length > MaxFrameLength)
            {
                error = $"SPDY frame of {length} bytes exceeds the maximum of {MaxFrameLength}";
                return SpdyFrameParseStatus.Invalid;
            }

            header = new SpdyFrameHeader(SpdyFrameType.Data, flags, streamId, length);
        }

        if (buffer.Length - HeaderLength < length)
        {
            return SpdyFrameParseStatus.Incomplete;
        }

        payload = buffer.Slice(HeaderLength, length);
        consumed = payload.End;
        return SpdyFrameParseStatus.Complete;
    }

    private static string? CheckControlLength(SpdyFrameType type, int length)
    {
        var valid = type switch
        {
            SpdyFrameType.SynStream => length >= 10,
            SpdyFrameType.SynReply or SpdyFrameType.Headers => length >= 4,
            SpdyFrameType.RstStream or SpdyFrameType.GoAway or SpdyFrameType.WindowUpdate => length == 8,
            SpdyFrameType.Ping => length == 4,
            SpdyFrameType.Settings => length >= 4 && (length - 4) % 8 == 0,
            _ => true,
        };
        if (!valid)
        {
            return $"SPDY {type} frame with invalid length {length}";
        }

        return length > MaxFrameLength ? $"SPDY frame of {length} bytes exceeds the maximum of {MaxFrameLength}" : null;
    }
}
