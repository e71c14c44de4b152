using System.Text;

namespace EdgeCloud.Agent.Tests.Process;

/// <summary>A write-only stream that collects what is written and completes <see cref="Seen"/> once a text has appeared in it.</summary>
internal sealed class TextWatchingStream(string text) : Stream
{
    private readonly MemoryStream _written = new();
    private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Seen => _seen.Task;

    public string Text
    {
        get
        {
            lock (_written)
            {
                return Encoding.UTF8.GetString(_written.ToArray());
            }
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_written)
        {
            _written.Write(buffer, offset, count);
        }

        if (Text.Contains(text, StringComparison.Ordinal))
        {
            _seen.TrySetResult();
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.ToArray(), 0, buffer.Length);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
