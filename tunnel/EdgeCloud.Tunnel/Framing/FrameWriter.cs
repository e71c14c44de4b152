using System.Buffers.Binary;

namespace EdgeCloud.Tunnel.Framing;

/// <summary>Encodes frames in the format <see cref="FrameParser"/> reads.</summary>
internal static class FrameWriter
{
    /// <summary>Writes a header; returns its length (at most <see cref="FrameParser.MaxHeaderLength"/>).</summary>
    public static int WriteHeader(Span<byte> destination, FrameType type, int streamId, int payloadLength)
    {
        destination[0] = FrameParser.Version;
        destination[1] = (byte)type;
        var n = 2;
        n += WriteVarint(destination[n..], (uint)streamId);
        n += WriteVarint(destination[n..], (uint)payloadLength);
        return n;
    }

    /// <summary>Writes a whole frame; returns its length.</summary>
    public static int Write(Span<byte> destination, FrameType type, int streamId, ReadOnlySpan<byte> payload)
    {
        var n = WriteHeader(destination, type, streamId, payload.Length);
        payload.CopyTo(destination[n..]);
        return n + payload.Length;
    }

    /// <summary>Writes a frame whose payload is a uint32 followed by <paramref name="rest"/>; returns its length.</summary>
    public static int WriteWithValue(Span<byte> destination, FrameType type, int streamId, int value, ReadOnlySpan<byte> rest)
    {
        var n = WriteHeader(destination, type, streamId, 4 + rest.Length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[n..], (uint)value);
        rest.CopyTo(destination[(n + 4)..]);
        return n + 4 + rest.Length;
    }

    private static int WriteVarint(Span<byte> destination, uint value)
    {
        var n = 0;
        while (value >= 0x80)
        {
            destination[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[n++] = (byte)value;
        return n;
    }
}
