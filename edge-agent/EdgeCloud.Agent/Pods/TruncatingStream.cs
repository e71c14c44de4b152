namespace EdgeCloud.Agent.Pods;

/// <summary>A write-only stream that passes on the first <c>limit</c> bytes written to it and drops the rest (a probe's output, kept bounded).</summary>
internal sealed class TruncatingStream(Stream inner, int limit) : Stream
{
    private readonly Lock _gate = new();
    private long _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Safe from two writers at once (a runtime may copy stdout and stderr concurrently).</summary>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            var take = (int)Math.Min(buffer.Length, Math.Max(0, limit - _written));
            _written += buffer.Length;
            inner.Write(buffer[..take]);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
