using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace EdgeCloud.Tunnel.Node;

/// <summary>
/// Writes <see cref="ExecFrame"/>s to a stream. Safe for concurrent writers (stdout and stderr pumps): each frame
/// goes out whole, in one write.
/// </summary>
public sealed class ExecFrameWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Writes to <paramref name="stream"/>; the writer does not own it.</summary>
    public ExecFrameWriter(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
    }

    /// <summary>Writes <paramref name="data"/> on <paramref name="channel"/>, in as many frames as its length needs (none when empty).</summary>
    public async ValueTask WriteDataAsync(ExecChannel channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        while (!data.IsEmpty)
        {
            var chunk = data[..Math.Min(data.Length, ExecFrameParser.MaxPayloadLength)];
            await WriteFrameAsync(channel, chunk, cancellationToken);
            data = data[chunk.Length..];
        }
    }

    /// <summary>Writes the final exit code.</summary>
    public ValueTask WriteExitAsync(int exitCode, CancellationToken cancellationToken = default)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(payload, exitCode);
        return WriteFrameAsync(ExecChannel.Exit, payload, cancellationToken);
    }

    /// <summary>Writes the final error: the command could not run. Long messages are cut to fit a frame.</summary>
    public ValueTask WriteErrorAsync(string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var bytes = Encoding.UTF8.GetBytes(message.Length > 4096 ? message[..4096] : message);
        return WriteFrameAsync(ExecChannel.Error, bytes, cancellationToken);
    }

    /// <summary>Writes a terminal size (clamped to 0..65535).</summary>
    public ValueTask WriteResizeAsync(int columns, int rows, CancellationToken cancellationToken = default)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)Math.Clamp(columns, 0, ushort.MaxValue));
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(2), (ushort)Math.Clamp(rows, 0, ushort.MaxValue));
        return WriteFrameAsync(ExecChannel.Resize, payload, cancellationToken);
    }

    /// <summary>Signals the end of standard input.</summary>
    public ValueTask WriteStdinEndAsync(CancellationToken cancellationToken = default) =>
        WriteFrameAsync(ExecChannel.StdinEnd, ReadOnlyMemory<byte>.Empty, cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    private async ValueTask WriteFrameAsync(ExecChannel channel, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var length = ExecFrameParser.HeaderLength + payload.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            ExecFrameParser.WriteHeader(buffer, channel, payload.Length);
            payload.Span.CopyTo(buffer.AsSpan(ExecFrameParser.HeaderLength));
            await _gate.WaitAsync(cancellationToken);
            try
            {
                await _stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken);
            }
            finally
            {
                _gate.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
