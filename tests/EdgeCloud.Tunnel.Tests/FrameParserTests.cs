using System.Buffers;
using System.Text;
using EdgeCloud.Tunnel.Framing;

namespace EdgeCloud.Tunnel.Tests;

public sealed class FrameParserTests
{
    internal static byte[] Encode(ControlFrame frame)
    {
        var buffer = new byte[FrameParser.MaxHeaderLength + frame.PayloadLength];
        return buffer[..frame.Write(buffer)];
    }

    internal static byte[] Encode(FrameType type, int streamId, ReadOnlySpan<byte> payload)
    {
        var buffer = new byte[FrameParser.MaxHeaderLength + payload.Length];
        return buffer[..FrameWriter.Write(buffer, type, streamId, payload)];
    }

    private static FrameParseStatus Parse(byte[] bytes, out TunnelFrame frame, out string? error, out long left)
    {
        var sequence = new ReadOnlySequence<byte>(bytes);
        var status = FrameParser.TryParse(ref sequence, out frame, out error);
        left = sequence.Length;
        return status;
    }

    public static TheoryData<byte[]> ValidFrames() =>
    [
        Encode(new ControlFrame(FrameType.Open, 1, 262144, Encoding.UTF8.GetBytes("tcp:127.0.0.1:10250"))),
        Encode(new ControlFrame(FrameType.OpenAck, 2, 65536, null)),
        Encode(new ControlFrame(FrameType.OpenRefuse, 3, 0, ControlFrame.Reason("no such port ü"))),
        Encode(FrameType.Data, 200_000, new byte[FrameParser.MaxPayloadLength]),
        Encode(new ControlFrame(FrameType.WindowUpdate, int.MaxValue, int.MaxValue, null)),
        Encode(FrameType.HalfClose, 5, []),
        Encode(new ControlFrame(FrameType.Reset, 7, 0, ControlFrame.Reason("cancelled"))),
        Encode(FrameType.Ping, 0, []),
        Encode(FrameType.Pong, 0, []),
        Encode(new ControlFrame(FrameType.GoAway, 0, 0, ControlFrame.Reason("restarting"))),
    ];

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void A_valid_frame_parses_whole_and_every_strict_prefix_needs_more(byte[] bytes)
    {
        Assert.Equal(FrameParseStatus.Frame, Parse(bytes, out var frame, out _, out var left));
        Assert.Equal(0, left);
        Assert.Equal((FrameType)bytes[1], frame.Type);
        for (var length = 0; length < bytes.Length; length += length < 64 ? 1 : 997)
        {
            Assert.Equal(FrameParseStatus.NeedMore, Parse(bytes[..length], out _, out _, out var unconsumed));
            Assert.Equal(length, unconsumed);
        }
    }

    [Fact]
    public void Fields_round_trip_and_consecutive_frames_parse_one_by_one()
    {
        var header = Encoding.UTF8.GetBytes("exec:pod/x");
        var bytes = Encode(new ControlFrame(FrameType.Open, 300, 1234567, header))
            .Concat(Encode(FrameType.Data, 300, [1, 2, 3]))
            .Concat(Encode(new ControlFrame(FrameType.WindowUpdate, 300, 77, null)))
            .ToArray();
        var sequence = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(FrameParseStatus.Frame, FrameParser.TryParse(ref sequence, out var open, out _));
        Assert.Equal((FrameType.Open, 300, 1234567), (open.Type, open.StreamId, FrameParser.ReadWindow(open.Payload)));
        Assert.Equal(header, open.Payload.Slice(4).ToArray());
        Assert.Equal(FrameParseStatus.Frame, FrameParser.TryParse(ref sequence, out var data, out _));
        Assert.Equal(new byte[] { 1, 2, 3 }, data.Payload.ToArray());
        Assert.Equal(FrameParseStatus.Frame, FrameParser.TryParse(ref sequence, out var update, out _));
        Assert.Equal(77, FrameParser.ReadWindow(update.Payload));
        Assert.Equal(FrameParseStatus.NeedMore, FrameParser.TryParse(ref sequence, out _, out _));
    }

    [Fact]
    public void A_frame_split_over_many_segments_parses_like_a_contiguous_one()
    {
        var bytes = Encode(FrameType.Data, 129, Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray());
        var sequence = TestSequences.Split(bytes, new Random(7));
        Assert.Equal(FrameParseStatus.Frame, FrameParser.TryParse(ref sequence, out var frame, out _));
        Assert.Equal(129, frame.StreamId);
        Assert.Equal(bytes[^5000..], frame.Payload.ToArray());
        Assert.True(sequence.IsEmpty);
    }

    public static TheoryData<string, byte[], string> InvalidFrames() => new()
    {
        { "version 2", [2, 4, 1, 1, 0], "version" },
        { "type 0", [1, 0, 1, 0], "type" },
        { "type 11", [1, 11, 1, 0], "type" },
        { "Data on stream 0", [1, 4, 0, 1, 9], "stream 0" },
        { "Ping on stream 1", [1, 8, 1, 0], "must be stream 0" },
        { "stream id not minimal", [1, 4, 0x81, 0x00, 1, 9], "minimally" },
        { "stream id above 2^31-1", [1, 4, 0xFF, 0xFF, 0xFF, 0xFF, 0x08, 1, 9], "exceeds" },
        { "stream id varint of 6 bytes", [1, 4, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], "exceeds" },
        { "length above 64 KiB", [1, 4, 1, 0x81, 0x80, 0x04], "exceeds" },
        { "empty Data", [1, 4, 1, 0], "empty Data" },
        { "Ping with payload", [1, 8, 0, 1, 0], "must be empty" },
        { "OpenAck of 3 bytes", [1, 2, 1, 3, 0, 0, 1], "must be 4" },
        { "WindowUpdate of 0", [1, 5, 1, 4, 0, 0, 0, 0], "increment 0" },
        { "Open window above 2^31-1", [1, 1, 1, 4, 0x80, 0, 0, 0], "window" },
        { "Reset reason not UTF-8", [1, 7, 1, 2, 0xC3, 0x28], "UTF-8" },
    };

    [Theory]
    [MemberData(nameof(InvalidFrames))]
    public void An_invalid_frame_is_a_protocol_error(string why, byte[] bytes, string message)
    {
        Assert.True(FrameParseStatus.ProtocolError == Parse(bytes, out _, out var error, out var left), why);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal(bytes.Length, left);
    }

    [Fact]
    public void An_oversized_length_is_rejected_before_its_payload_arrives()
    {
        // Version, Data, stream 1, a length of 81,920 and no payload: rejected now, not after 80 KiB more.
        Assert.Equal(FrameParseStatus.ProtocolError, Parse([1, 4, 1, 0x80, 0x80, 0x05], out _, out var error, out _));
        // Continuation bytes that can only end above 64 KiB are rejected before the varint's last byte.
        Assert.Equal(FrameParseStatus.ProtocolError, Parse([1, 4, 1, 0x80, 0x80, 0x85], out _, out _, out _));
        Assert.Contains("exceeds", error, StringComparison.Ordinal);
    }
}
