using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;

namespace EdgeCloud.Tunnel;

/// <summary>
/// What the peer sent on one stream and the reader has not taken yet. A reader waiting in
/// <see cref="TryRead"/> registers its buffer, and the read loop copies Data payloads straight into it (one copy from
/// the WebSocket's receive buffer to the caller's memory, where a pipe took two); only bytes that arrive while nobody
/// waits, or beyond the waiting buffer, are kept in pooled <see cref="TunnelBlockPool"/> blocks. A waiting reader is
/// woken once per receive (<see cref="Flush"/>), not per frame. Every member is called under the session's lock; the
/// receive window, not this buffer, bounds what is kept. The pending read is a reusable value-task source, so a read
/// allocates nothing.
/// </summary>
internal sealed class TunnelReceiveBuffer : IValueTaskSource<int>
{
    private readonly Queue<IMemoryOwner<byte>> _blocks = new();
    private ManualResetValueTaskSourceCore<int> _pending = new() { RunContinuationsAsynchronously = true };
    private IMemoryOwner<byte>? _tail;
    private int _headOffset;
    private int _tailLength;
    private Memory<byte> _target;
    private int _targetFilled;
    private bool _waiting;
    private bool _completed;
    private Exception? _error;

    /// <summary>Bytes kept in blocks (not counting what was copied into a waiting reader's buffer).</summary>
    public int Length { get; private set; }

    /// <summary>Blocks held now.</summary>
    public int BlockCount => _blocks.Count;

    /// <summary>
    /// Appends data from the peer: into a waiting reader's buffer first, the rest into blocks. The reader is woken
    /// by <see cref="Flush"/> at the end of the receive.
    /// </summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (_completed)
        {
            return;
        }

        if (_waiting && Length == 0)
        {
            var n = Math.Min(data.Length, _target.Length - _targetFilled);
            data[..n].CopyTo(_target.Span[_targetFilled..]);
            _targetFilled += n;
            data = data[n..];
        }

        while (!data.IsEmpty)
        {
            if (_tail is null || _tailLength == TunnelBlockPool.BlockLength)
            {
                _tail = TunnelBlockPool.Shared.Rent(TunnelBlockPool.BlockLength);
                _blocks.Enqueue(_tail);
                _tailLength = 0;
            }

            var n = Math.Min(data.Length, TunnelBlockPool.BlockLength - _tailLength);
            data[..n].CopyTo(_tail.Memory.Span[_tailLength..]);
            _tailLength += n;
            Length += n;
            data = data[n..];
        }
    }

    /// <summary>Wakes a waiting reader that got bytes since it began to wait.</summary>
    public void Flush()
    {
        if (_waiting && _targetFilled > 0)
        {
            FinishWait();
        }
    }

    /// <summary>
    /// No more data (the peer half-closed, or the stream ended): a waiting reader gets what it has, or end of
    /// stream, or <paramref name="error"/>. With an error, or <paramref name="discard"/> (nobody will read), the kept
    /// bytes are let go; otherwise later reads still return them before end of stream.
    /// </summary>
    public void Complete(Exception? error = null, bool discard = false)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        _error = error;
        if (error is not null || discard)
        {
            ReleaseBlocks();
        }

        if (_waiting)
        {
            if (_targetFilled == 0 && error is not null)
            {
                _waiting = false;
                _target = default;
                _pending.SetException(error);
            }
            else
            {
                FinishWait();
            }
        }
    }

    /// <summary>
    /// Takes kept bytes into <paramref name="buffer"/> (true: <paramref name="count"/> of them, 0 at end of
    /// stream), or registers it for the read loop to fill (false: await <paramref name="wait"/> outside the lock;
    /// <paramref name="version"/> names this wait for <see cref="CancelWait"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">Another read is waiting.</exception>
    public bool TryRead(Memory<byte> buffer, out int count, out ValueTask<int> wait, out short version)
    {
        if (_waiting)
        {
            throw new InvalidOperationException("a read on this stream is already in progress");
        }

        wait = default;
        version = 0;
        if (_error is not null)
        {
            ExceptionDispatchInfo.Throw(_error);
        }

        if (Length > 0 || _completed || buffer.IsEmpty)
        {
            count = TakeKept(buffer.Span);
            return true;
        }

        count = 0;
        _pending.Reset();
        _target = buffer;
        _targetFilled = 0;
        _waiting = true;
        version = _pending.Version;
        wait = new ValueTask<int>(this, version);
        return false;
    }

    /// <summary>
    /// Cancels the waiting read whose <see cref="ValueTask{TResult}"/> has <paramref name="version"/>: it returns
    /// the bytes already copied into its buffer, or fails with <paramref name="cancellationToken"/>'s cancellation.
    /// </summary>
    public void CancelWait(short version, CancellationToken cancellationToken)
    {
        if (!_waiting || _pending.Version != version)
        {
            return;
        }

        if (_targetFilled > 0)
        {
            FinishWait();
            return;
        }

        _waiting = false;
        _target = default;
        _pending.SetException(new OperationCanceledException(cancellationToken));
    }

    int IValueTaskSource<int>.GetResult(short token) => _pending.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _pending.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _pending.OnCompleted(continuation, state, token, flags);

    private void FinishWait()
    {
        var n = _targetFilled;
        _waiting = false;
        _target = default;
        _targetFilled = 0;
        _pending.SetResult(n);
    }

    private int TakeKept(Span<byte> destination)
    {
        var n = 0;
        while (n < destination.Length && Length > 0)
        {
            var head = _blocks.Peek();
            var end = head == _tail ? _tailLength : TunnelBlockPool.BlockLength;
            var chunk = Math.Min(end - _headOffset, destination.Length - n);
            head.Memory.Span.Slice(_headOffset, chunk).CopyTo(destination[n..]);
            n += chunk;
            _headOffset += chunk;
            Length -= chunk;
            if (_headOffset == end)
            {
                _blocks.Dequeue().Dispose();
                _headOffset = 0;
                if (head == _tail)
                {
                    _tail = null;
                    _tailLength = 0;
                }
            }
        }

        return n;
    }

    private void ReleaseBlocks()
    {
        while (_blocks.TryDequeue(out var block))
        {
            block.Dispose();
        }

        _tail = null;
        _tailLength = 0;
        _headOffset = 0;
        Length = 0;
    }
}
