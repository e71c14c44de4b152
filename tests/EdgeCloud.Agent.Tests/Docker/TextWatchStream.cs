using System.Text;

namespace EdgeCloud.Agent.Tests.Docker;

/// <summary>A write-only stream that keeps what it is given and completes <see cref="WaitForAsync"/> once a text has appeared in it.</summary>
public sealed class TextWatchStream : Stream
{
    private readonly MemoryStream _buffer = new();
    private readonly Lock _gate = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return Encoding.UTF8.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length);
            }
        }
    }

    public Task WaitForAsync(string text)
    {
        lock (_gate)
        {
            var waiter = (text, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _waiters.Add(waiter);
            Check();
            return waiter.Item2.Task;
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            _buffer.Write(buffer, offset, count);
            Check();
        }
    }

    private void Check()
    {
        var text = Encoding.UTF8.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length);
        foreach (var (wanted, seen) in _waiters)
        {
            if (text.Contains(wanted, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
        }
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
