using System.Net.Sockets;

namespace EdgeCloud.Agent.Runtime.Docker;

/// <summary>
/// The connection of an attached exec after the engine answered its upgrade: raw bytes both ways. Bytes that came
/// in with the response headers are read first. <see cref="CloseWrite"/> half-closes the socket, which is how the
/// process inside sees the end of its stdin.
/// </summary>
internal sealed class HijackedStream : Stream
{
    private readonly Socket _socket;
    private readonly NetworkStream _inner;
    private ReadOnlyMemory<byte> _pending;

    /// <summary>Wraps a connected socket whose response headers have been read; <paramref name="pending"/> is what followed them.</summary>
    public HijackedStream(Socket socket, ReadOnlyMemory<byte> pending)
    {
        _socket = socket;
        _inner = new NetworkStream(socket, ownsSocket: true);
        _pending = pending;
    }

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

    /// <summary>Sends FIN: no more input, while the output can still be read.</summary>
    public void CloseWrite() => _socket.Shutdown(SocketShutdown.Send);

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_pending.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _pending.Length);
            _pending[..take].CopyTo(buffer);
            _pending = _pending[take..];
            return take;
        }

        return await _inner.ReadAsync(buffer, cancellationToken);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count)
    {
        if (!_pending.IsEmpty)
        {
            var take = Math.Min(count, _pending.Length);
            _pending[..take].CopyTo(buffer.AsMemory(offset, take));
            _pending = _pending[take..];
            return take;
        }

        return _inner.Read(buffer, offset, count);
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.WriteAsync(buffer, cancellationToken);

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.WriteAsync(buffer, offset, count, cancellationToken);

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    /// <inheritdoc />
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
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
