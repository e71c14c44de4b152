using System.Buffers.Binary;
using System.Text;
using EdgeCloud.Agent.Runtime.Docker;

namespace EdgeCloud.Agent.Tests.Docker;

public sealed class MultiplexedStreamCopierTests
{
    [Fact]
    public async Task Frames_go_to_their_streams_even_when_split_across_reads()
    {
        var wire = Concat(Frame(1, "out-1\n"), Frame(2, "err-1\n"), Frame(1, "out-2\n"), Frame(3, "engine error\n"));
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();

        var written = await MultiplexedStreamCopier.CopyDemultiplexedAsync(new TrickleStream(wire, 3), stdout, stderr, long.MaxValue, TestContext.Current.CancellationToken);

        Assert.Equal("out-1\nout-2\n", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal("err-1\nengine error\n", Encoding.UTF8.GetString(stderr.ToArray()));
        Assert.Equal(wire.Length - 4 * 8, written);
    }

    [Fact]
    public async Task Limit_stops_in_the_middle_of_a_frame()
    {
        var wire = Concat(Frame(1, "hello "), Frame(2, "world\n"), Frame(1, "never"));
        var output = new MemoryStream();

        var written = await MultiplexedStreamCopier.CopyDemultiplexedAsync(new TrickleStream(wire, 5), output, output, 9, TestContext.Current.CancellationToken);

        Assert.Equal(9, written);
        Assert.Equal("hello wor", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task Unknown_stream_type_is_refused()
    {
        var wire = Frame(9, "x");
        await Assert.ThrowsAsync<InvalidDataException>(() => MultiplexedStreamCopier.CopyDemultiplexedAsync(new MemoryStream(wire), Stream.Null, Stream.Null, long.MaxValue, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Raw_copy_honours_the_limit()
    {
        var output = new MemoryStream();
        var written = await MultiplexedStreamCopier.CopyRawAsync(new TrickleStream(Encoding.UTF8.GetBytes("0123456789"), 4), output, 6, TestContext.Current.CancellationToken);
        Assert.Equal(6, written);
        Assert.Equal("012345", Encoding.UTF8.GetString(output.ToArray()));
    }

    private static byte[] Frame(byte stream, string payload)
    {
        var body = Encoding.UTF8.GetBytes(payload);
        var frame = new byte[8 + body.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)body.Length);
        body.CopyTo(frame, 8);
        return frame;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Hands out at most a few bytes per read, so that headers and payloads arrive in pieces.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var take = Math.Min(Math.Min(count, chunk), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, take);
            _position += take;
            return take;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
