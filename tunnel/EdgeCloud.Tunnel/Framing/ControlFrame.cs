namespace EdgeCloud.Tunnel.Framing;

/// <summary>
/// A queued frame other than Data, Ping and Pong. <see cref="Value"/> is the uint32 that leads the payload of
/// Open, OpenAck and WindowUpdate; <see cref="Bytes"/> the rest (an Open's header, a UTF-8 reason).
/// </summary>
internal readonly record struct ControlFrame(FrameType Type, int StreamId, int Value, byte[]? Bytes)
{
    public bool HasValue => Type is FrameType.Open or FrameType.OpenAck or FrameType.WindowUpdate;

    public int PayloadLength => (HasValue ? 4 : 0) + (Bytes?.Length ?? 0);

    public int Write(Span<byte> destination) => HasValue
        ? FrameWriter.WriteWithValue(destination, Type, StreamId, Value, Bytes)
        : FrameWriter.Write(destination, Type, StreamId, Bytes);

    /// <summary>UTF-8 of <paramref name="reason"/>, cut at a character boundary to <see cref="FrameParser.MaxReasonLength"/> bytes.</summary>
    public static byte[] Reason(string reason)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(reason);
        if (bytes.Length <= FrameParser.MaxReasonLength)
        {
            return bytes;
        }

        var length = FrameParser.MaxReasonLength;
        while (length > 0 && (bytes[length] & 0xC0) == 0x80)
        {
            length--;
        }

        return bytes[..length];
    }
}
