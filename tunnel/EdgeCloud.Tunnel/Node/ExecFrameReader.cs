using System.Buffers;
using System.IO.Pipelines;

namespace EdgeCloud.Tunnel.Node;

/// <summary>Reads <see cref="ExecFrame"/>s from a stream (one reader at a time).</summary>
public sealed class ExecFrameReader : IAsyncDisposable
{
    private readonly PipeReader _reader;
    private readonly byte[] _payload = new byte[ExecFrameParser.MaxPayloadLength];
    private ReadOnlySequence<byte> _pending;
    private bool _hasPending;
    private bool _failed;

    /// <summary>Reads from <paramref name="stream"/>, which stays open when the reader is disposed.</summary>
    public ExecFrameReader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
    }

    /// <summary>The next frame, or null when the stream ended cleanly between frames.</summary>
    /// <exception cref="ExecProtocolException">The bytes break the framing, or the stream ended inside a frame.</exception>
    public async ValueTask<ExecFrame?> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_failed)
        {
            throw new ExecProtocolException("the exec stream already failed");
        }

        if (_hasPending)
        {
            // The previous frame's bytes stayed in the pipe until now, when the caller is done with its payload.
            _reader.AdvanceTo(_pending.Start);
            _hasPending = false;
        }

        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var status = ExecFrameParser.TryParse(buffer, out var channel, out var payload, out var consumed, out var error);
            switch (status)
            {
                case ExecFrameParseStatus.Complete:
                    payload.CopyTo(_payload);
                    _pending = buffer.Slice(consumed);
                    _hasPending = true;
                    return new ExecFrame(channel, _payload.AsMemory(0, (int)payload.Length));
                case ExecFrameParseStatus.Invalid:
                    _failed = true;
                    _reader.AdvanceTo(buffer.Start, buffer.End);
                    throw new ExecProtocolException(error!);
                default:
                    if (result.IsCompleted)
                    {
                        _reader.AdvanceTo(buffer.End);
                        if (buffer.IsEmpty)
                        {
                            return null;
                        }

                        _failed = true;
                        throw new ExecProtocolException($"the exec stream ended inside a frame ({buffer.Length} bytes left)");
                    }

                    _reader.AdvanceTo(buffer.Start, buffer.End);
                    break;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _reader.CompleteAsync();
}
