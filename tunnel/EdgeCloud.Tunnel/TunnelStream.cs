using System.Runtime.ExceptionServices;
using System.Text;

namespace EdgeCloud.Tunnel;

/// <summary>
/// One stream of a <see cref="TunnelSession"/>, in both directions. Writes wait for credit from the peer's
/// reader (per stream, so a slow reader stalls only its own stream); reads return what the peer sent and return
/// credit as it is consumed. <see cref="CompleteWritesAsync"/> half-closes (the peer reads end of stream, and may
/// go on writing); <see cref="Reset"/> aborts both directions. Disposing completes writes and discards whatever
/// the peer still sends. One reader and one writer at a time, as for any <see cref="System.IO.Stream"/>.
/// </summary>
public sealed class TunnelStream : Stream
{
    private readonly TunnelSession _session;
    private string? _target;
    private bool _readCompleted;

    internal TunnelStream(TunnelSession session, int id, byte[] header, int receiveWindow, bool openedByPeer)
    {
        _session = session;
        Id = id;
        Header = header;
        ReceiveWindow = receiveWindow;
        InitialReceiveWindow = receiveWindow;
        PeerCredit = receiveWindow;
        OpenedByPeer = openedByPeer;
    }

    /// <summary>The stream id: odd when the client side opened it, even when the server side did.</summary>
    public int Id { get; }

    /// <summary>The header bytes sent with the open.</summary>
    public ReadOnlyMemory<byte> Header { get; }

    /// <summary>The header as UTF-8 text.</summary>
    public string Target => _target ??= Encoding.UTF8.GetString(Header.Span);

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    // State below is guarded by the session's lock.
    internal bool OpenedByPeer { get; }

    /// <summary>
    /// What the peer sent and the reader has not taken. The session's read loop writes under the session lock and
    /// never waits: the receive window bounds what is buffered (a peer sending past it is a protocol error).
    /// </summary>
    internal TunnelReceiveBuffer Incoming { get; } = new();

    internal TaskCompletionSource<TunnelStream>? OpenCompletion { get; set; }

    /// <summary>Bytes this side may still send (the peer's window minus what is in flight).</summary>
    internal long SendCredit { get; set; }

    internal ReadOnlyMemory<byte> PendingWrite { get; set; }

    internal TaskCompletionSource? PendingWriteCompletion { get; set; }

    internal bool InReadyQueue { get; set; }

    internal bool WritesCompleted { get; set; }

    internal bool HalfClosePending { get; set; }

    internal bool HalfCloseSent { get; set; }

    internal bool RemoteFinished { get; set; }

    /// <summary>Disposed while the peer still writes: incoming data is dropped and its credit returned at once.</summary>
    internal bool Discarding { get; set; }

    internal bool Closed { get; set; }

    /// <summary>Data was written to <see cref="Incoming"/> in this receive and is not flushed yet (read loop only).</summary>
    internal bool Unflushed { get; set; }

    internal Exception? CloseError { get; set; }

    /// <summary>The stream's receive window: it starts at <see cref="TunnelOptions.InitialStreamWindow"/> and may grow.</summary>
    internal int ReceiveWindow { get; set; }

    /// <summary>The window granted at open (counted in the session's budget; what it grew beyond is counted apart).</summary>
    internal int InitialReceiveWindow { get; }

    /// <summary>Bytes the peer may still send before it needs a WindowUpdate.</summary>
    internal long PeerCredit { get; set; }

    /// <summary>Bytes consumed by the reader and not yet returned to the peer.</summary>
    internal int UnannouncedCredit { get; set; }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_readCompleted)
        {
            return 0;
        }

        var n = _session.StartRead(this, buffer, out var wait, out var version);
        if (n < 0)
        {
            if (cancellationToken.CanBeCanceled)
            {
                using var registration = cancellationToken.Register(() => _session.CancelRead(this, version, cancellationToken));
                n = await wait;
            }
            else
            {
                n = await wait;
            }
        }

        if (n == 0)
        {
            if (!buffer.IsEmpty)
            {
                _readCompleted = true;
            }

            return 0;
        }

        if (_session.OnConsumed(this, n))
        {
            await _session.SendCreditInlineAsync();
        }

        return n;
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return;
        }

        var completion = _session.StartWrite(this, buffer, out var sendInline);
        if (sendInline)
        {
            // Sent on this thread; with credit for all of it the write is done without any hop.
            await _session.SendWriteInlineAsync(completion);
        }

        if (completion.Task.IsCompleted)
        {
            await completion.Task;
        }
        else if (cancellationToken.CanBeCanceled)
        {
            using var registration = cancellationToken.Register(() => _session.CancelWrite(this, completion, cancellationToken));
            await completion.Task;
        }
        else
        {
            await completion.Task;
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Half-closes: the peer reads end of stream once it has read everything written before. Reading goes on.
    /// Returns once the HalfClose is queued behind the data.
    /// </summary>
    /// <exception cref="TunnelStreamResetException">The stream was reset.</exception>
    public ValueTask CompleteWritesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _session.CompleteWrites(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Aborts the stream in both directions: pending and later reads and writes on both ends fail with <see cref="TunnelStreamResetException"/>.</summary>
    public void Reset(string reason = "reset by the application") => _session.ResetLocally(this, reason);

    /// <summary>Writes are handed to the session when <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/> completes: nothing to flush.</summary>
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _session.OnDisposed(this);
        }

        base.Dispose(disposing);
    }

    internal void ThrowIfClosed()
    {
        if (Closed)
        {
            ExceptionDispatchInfo.Throw(CloseError ?? new TunnelSessionClosedException("the stream is closed"));
        }
    }
}
