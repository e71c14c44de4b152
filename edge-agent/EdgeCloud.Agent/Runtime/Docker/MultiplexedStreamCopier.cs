using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace EdgeCloud.Agent.Runtime.Docker;

/// <summary>
/// Copies the output streams of the Engine API (logs, attached exec) to their destinations. Without a tty the
/// engine multiplexes stdout and stderr into frames of an 8-byte header (stream type: 0 stdin, 1 stdout,
/// 2 stderr, 3 the engine's own error; three zero bytes; the payload length, big-endian uint32) and the payload;
/// with a tty the stream is raw. See the Engine API reference, "Attach to a container: Stream format".
/// </summary>
internal static class MultiplexedStreamCopier
{
    private const int HeaderLength = 8;

    /// <summary>
    /// Demultiplexes <paramref name="source"/> into <paramref name="stdout"/> and <paramref name="stderr"/> until it
    /// ends or <paramref name="limitBytes"/> payload bytes have been written; returns the payload bytes written.
    /// Payloads are passed on as they arrive, never buffered whole, so a frame's size needs no limit here.
    /// </summary>
    public static async Task<long> CopyDemultiplexedAsync(Stream source, Stream stdout, Stream stderr, long limitBytes, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(source, new StreamPipeReaderOptions(leaveOpen: true));
        long written = 0;
        long frameRemaining = 0;
        var target = stdout;
        try
        {
            while (written < limitBytes)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                var wrote = false;
                while (!buffer.IsEmpty && written < limitBytes)
                {
                    if (frameRemaining == 0)
                    {
                        if (!TryReadHeader(ref buffer, out var streamType, out frameRemaining))
                        {
                            break;
                        }

                        target = streamType switch
                        {
                            0 or 1 => stdout,
                            2 or 3 => stderr,
                            _ => throw new InvalidDataException($"The Docker Engine API sent a stream frame of unknown type {streamType}"),
                        };
                        continue;
                    }

                    var take = Math.Min(Math.Min(frameRemaining, buffer.Length), limitBytes - written);
                    foreach (var segment in buffer.Slice(0, take))
                    {
                        await target.WriteAsync(segment, cancellationToken);
                    }

                    buffer = buffer.Slice(take);
                    frameRemaining -= take;
                    written += take;
                    wrote = true;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (wrote)
                {
                    // Followers (kubectl logs -f, an interactive exec) see output as it comes.
                    await stdout.FlushAsync(cancellationToken);
                    if (!ReferenceEquals(stdout, stderr))
                    {
                        await stderr.FlushAsync(cancellationToken);
                    }
                }

                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }

        return written;
    }

    /// <summary>Copies a raw (tty) stream until it ends or <paramref name="limitBytes"/> bytes have been written; returns the bytes written.</summary>
    public static async Task<long> CopyRawAsync(Stream source, Stream output, long limitBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        long written = 0;
        try
        {
            while (written < limitBytes)
            {
                var read = await source.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                var take = (int)Math.Min(read, limitBytes - written);
                await output.WriteAsync(buffer.AsMemory(0, take), cancellationToken);
                await output.FlushAsync(cancellationToken);
                written += take;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return written;
    }

    private static bool TryReadHeader(ref ReadOnlySequence<byte> buffer, out byte streamType, out long payloadLength)
    {
        if (buffer.Length < HeaderLength)
        {
            streamType = 0;
            payloadLength = 0;
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        streamType = header[0];
        payloadLength = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        buffer = buffer.Slice(HeaderLength);
        return true;
    }
}
