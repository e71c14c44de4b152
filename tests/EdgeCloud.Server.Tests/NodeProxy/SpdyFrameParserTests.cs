using System.Buffers;
using System.IO.Pipelines;
using EdgeCloud.Server.NodeProxy.Spdy;

namespace EdgeCloud.Server.Tests.NodeProxy;

public sealed class SpdyFrameParserTests
{
    [Fact]
    public void Control_and_data_frames_parse()
    {
        byte[] bytes = [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1, 0x00, 0x00, 0x00, 0x05, 0x01, 0x00, 0x00, 0x02, (byte)'h', (byte)'i'];
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(SpdyFrameParseStatus.Complete, SpdyFrameParser.TryParse(buffer, out var ping, out var payload, out var consumed, out _));
        Assert.Equal((SpdyFrameType.Ping, 4), (ping.Type, ping.Length));
        Assert.Equal([0, 0, 0, 1], payload.ToArray());
        buffer = buffer.Slice(consumed);
        Assert.Equal(SpdyFrameParseStatus.Complete, SpdyFrameParser.TryParse(buffer, out var data, out payload, out _, out _));
        Assert.Equal((SpdyFrameType.Data, 5, true), (data.Type, data.StreamId, data.IsFin));
        Assert.Equal("hi"u8.ToArray(), payload.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x02, 0x00, 0x01, 0, 0, 0, 10 }, "version 2")]
    [InlineData(new byte[] { 0x80, 0x03, 0x00, 0x06, 0, 0, 0, 5 }, "invalid length 5")]
    [InlineData(new byte[] { 0x80, 0x03, 0x00, 0x04, 0, 0, 0, 7 }, "invalid length 7")]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x00, 0, 0, 0, 0 }, "stream 0")]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x01, 0, 0xFF, 0xFF, 0xFF }, "exceeds the maximum")]
    public void Invalid_frames_are_refused_from_their_header(byte[] bytes, string error)
    {
        Assert.Equal(SpdyFrameParseStatus.Invalid, SpdyFrameParser.TryParse(new ReadOnlySequence<byte>(bytes), out _, out _, out _, out var message));
        Assert.Contains(error, message);
    }

    [Fact]
    public async Task A_session_fed_random_truncated_or_corrupted_bytes_ends_cleanly_or_with_a_protocol_error()
    {
        // A valid opening: SYN_STREAM 1 (headers compressed as Go's spdystream does), then DATA with FIN on stream 1.
        byte[] synStream = [0x80, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x28, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, .. Convert.FromHexString("78f9e3c6a7c202a62346703a2b294a4dcc851625aca9a08006000000ffff")];
        byte[] good = [.. synStream, 0, 0, 0, 1, 1, 0, 0, 1, (byte)'x'];
        var random = new Random(99);
        var opened = 0;
        for (var round = 0; round < 2000; round++)
        {
            byte[] input;
            switch (round % 3)
            {
                case 0:
                    input = new byte[random.Next(0, 80)];
                    random.NextBytes(input);
                    if (input.Length > 2)
                    {
                        // Make most of them look like SPDY/3 control frames so that the deeper paths run.
                        input[0] = 0x80;
                        input[1] = 0x03;
                    }

                    break;
                case 1:
                    input = good[..random.Next(0, good.Length + 1)];
                    break;
                default:
                    input = (byte[])good.Clone();
                    input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8));
                    break;
            }

            var transport = new DuplexBuffer(input);
            var session = new SpdyServerSession(transport) { StreamOpened = (_, _) => { opened++; return ValueTask.CompletedTask; } };
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await session.RunAsync(timeout.Token);
            }
            catch (SpdyProtocolException)
            {
                // The clean error; a GOAWAY went out.
                Assert.True(transport.Written.Length >= 16, "a protocol error sends GOAWAY");
            }
        }

        Assert.True(opened > 0, "some inputs were valid enough to open a stream");
    }

    /// <summary>Reads the given bytes (then end of stream); keeps what is written.</summary>
    private sealed class DuplexBuffer(byte[] input) : Stream
    {
        private readonly MemoryStream _input = new(input);
        private readonly MemoryStream _output = new();

        public byte[] Written => _output.ToArray();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, Math.Min(count, 7));

        public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
