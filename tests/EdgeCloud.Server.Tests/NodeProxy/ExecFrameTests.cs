using System.Buffers;
using System.IO.Pipelines;
using EdgeCloud.Tunnel.Node;

namespace EdgeCloud.Server.Tests.NodeProxy;

public sealed class ExecFrameTests
{
    [Fact]
    public async Task Frames_round_trip_and_long_data_is_split_at_the_maximum()
    {
        var stream = new MemoryStream();
        using (var writer = new ExecFrameWriter(stream))
        {
            await writer.WriteDataAsync(ExecChannel.Stdout, new byte[ExecFrameParser.MaxPayloadLength + 10]);
            await writer.WriteDataAsync(ExecChannel.Stderr, "e"u8.ToArray());
            await writer.WriteResizeAsync(120, 40);
            await writer.WriteStdinEndAsync();
            await writer.WriteErrorAsync("no such container");
            await writer.WriteExitAsync(-2);
        }

        stream.Position = 0;
        await using var reader = new ExecFrameReader(stream);
        var frames = new List<(ExecChannel Channel, byte[] Payload)>();
        while (await reader.ReadAsync() is { } frame)
        {
            frames.Add((frame.Channel, frame.Payload.ToArray()));
            switch (frame.Channel)
            {
                case ExecChannel.Resize:
                    Assert.Equal((120, 40), frame.Size);
                    break;
                case ExecChannel.Error:
                    Assert.Equal("no such container", frame.Message);
                    break;
                case ExecChannel.Exit:
                    Assert.Equal(-2, frame.ExitCode);
                    break;
            }
        }

        Assert.Equal(
            [ExecChannel.Stdout, ExecChannel.Stdout, ExecChannel.Stderr, ExecChannel.Resize, ExecChannel.StdinEnd, ExecChannel.Error, ExecChannel.Exit],
            frames.Select(static f => f.Channel));
        Assert.Equal([ExecFrameParser.MaxPayloadLength, 10, 1], frames.Take(3).Select(static f => f.Payload.Length));
    }

    [Theory]
    [InlineData(new byte[] { 7, 0, 0, 0, 0 }, "unknown exec channel 7")]
    [InlineData(new byte[] { 1, 0, 1, 0, 1 }, "exceeds the maximum")]
    [InlineData(new byte[] { 3, 0, 0, 0, 3, 0, 0, 0 }, "it must have 4")]
    [InlineData(new byte[] { 5, 0, 0, 0, 1, 0 }, "it must have 0")]
    [InlineData(new byte[] { 6, 0, 0, 0, 1, 0xFF }, "not valid UTF-8")]
    public void Invalid_frames_are_named(byte[] bytes, string error)
    {
        var status = ExecFrameParser.TryParse(new ReadOnlySequence<byte>(bytes), out _, out _, out _, out var message);
        Assert.Equal(ExecFrameParseStatus.Invalid, status);
        Assert.Contains(error, message);
    }

    [Fact]
    public void An_oversized_length_is_refused_before_its_payload_arrives()
    {
        var status = ExecFrameParser.TryParse(new ReadOnlySequence<byte>([1, 0xFF, 0xFF, 0xFF, 0xFF]), out _, out _, out _, out _);
        Assert.Equal(ExecFrameParseStatus.Invalid, status);
    }

    [Fact]
    public async Task A_stream_that_ends_inside_a_frame_is_a_protocol_error()
    {
        await using var reader = new ExecFrameReader(new MemoryStream([1, 0, 0, 0, 5, (byte)'a']));
        await Assert.ThrowsAsync<ExecProtocolException>(async () => await reader.ReadAsync());
    }

    [Fact]
    public async Task Random_truncated_and_corrupted_input_ends_cleanly_or_with_a_protocol_error()
    {
        var random = new Random(4321);
        var valid = new MemoryStream();
        using (var writer = new ExecFrameWriter(valid))
        {
            await writer.WriteDataAsync(ExecChannel.Stdout, "hello"u8.ToArray());
            await writer.WriteResizeAsync(80, 24);
            await writer.WriteExitAsync(0);
        }

        var good = valid.ToArray();
        for (var round = 0; round < 3000; round++)
        {
            byte[] input;
            switch (round % 3)
            {
                case 0:
                    input = new byte[random.Next(0, 64)];
                    random.NextBytes(input);
                    break;
                case 1:
                    input = good[..random.Next(0, good.Length)];
                    break;
                default:
                    input = (byte[])good.Clone();
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                    break;
            }

            // A pipe delivers the bytes in random pieces, so that frames straddle reads.
            var pipe = new Pipe();
            var feeding = FeedAsync(pipe.Writer, input, random.Next());
            await using var reader = new ExecFrameReader(pipe.Reader.AsStream());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                while (await reader.ReadAsync(timeout.Token) is not null)
                {
                }
            }
            catch (ExecProtocolException)
            {
                // The clean error.
            }

            await feeding;
        }
    }

    private static async Task FeedAsync(PipeWriter writer, byte[] input, int seed)
    {
        var random = new Random(seed);
        var offset = 0;
        while (offset < input.Length)
        {
            var length = Math.Min(input.Length - offset, random.Next(1, 8));
            await writer.WriteAsync(input.AsMemory(offset, length));
            offset += length;
        }

        await writer.CompleteAsync();
    }
}
