using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace EdgeCloud.Server.NodeProxy.Spdy;

/// <summary>
/// The server end of a SPDY/3.1 connection, as far as kubectl's remote command streams need it: the client opens
/// streams (SYN_STREAM, answered with an empty SYN_REPLY), both sides send DATA and half-close with FIN, PING is
/// echoed, SETTINGS and WINDOW_UPDATE are read and ignored (spdystream does no flow control either), GOAWAY or the
/// connection's end stops the session. A protocol error sends GOAWAY and ends the session with
/// <see cref="SpdyProtocolException"/>. One read loop (<see cref="RunAsync"/>); writes are serialized.
/// </summary>
internal sealed class SpdyServerSession(Stream transport)
{
    private const byte GoAwayProtocolError = 1;

    /// <summary>The size of each read from the connection.</summary>
    private const int ReadBufferSize = 64 * 1024;

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SpdyHeaderInflater _inflater = new();
    private bool _replyHeadersSent;
    private int _lastStreamId;

    /// <summary>A client stream was opened (and answered): its id and its headers, names lower-case.</summary>
    public Func<int, IReadOnlyDictionary<string, string>, ValueTask>? StreamOpened { get; init; }

    /// <summary>Data arrived on a stream; the flag is FIN (the client will send no more on it).</summary>
    public Func<int, ReadOnlyMemory<byte>, bool, ValueTask>? DataReceived { get; init; }

    /// <summary>The client reset a stream.</summary>
    public Func<int, ValueTask>? StreamReset { get; init; }

    /// <summary>Reads frames until the client closes the connection or sends GOAWAY.</summary>
    /// <exception cref="SpdyProtocolException">The client broke the protocol (a GOAWAY was sent).</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Reads of up to 64 KiB: the default 4 KiB cost a pass through Kestrel's upgraded stream (and TLS) per 4 KiB of
        // a port-forward's bulk.
        var reader = PipeReader.Create(transport, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: ReadBufferSize / 4, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                while (true)
                {
                    var status = SpdyFrameParser.TryParse(buffer, out var header, out var payload, out var consumed, out var error);
                    if (status == SpdyFrameParseStatus.Invalid)
                    {
                        throw new SpdyProtocolException(error!);
                    }

                    if (status == SpdyFrameParseStatus.Incomplete)
                    {
                        break;
                    }

                    var keepGoing = await HandleFrameAsync(header, payload.ToArray(), cancellationToken);
                    buffer = buffer.Slice(consumed);
                    if (!keepGoing)
                    {
                        return;
                    }
                }

                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        throw new SpdyProtocolException("the SPDY connection ended inside a frame");
                    }

                    return;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (SpdyProtocolException)
        {
            await SendGoAwayAsync(cancellationToken);
            throw;
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    /// <summary>Sends <paramref name="data"/> on a stream (in frames of at most 32 KiB), half-closing it with <paramref name="fin"/>.</summary>
    public async ValueTask WriteDataAsync(int streamId, ReadOnlyMemory<byte> data, bool fin, CancellationToken cancellationToken)
    {
        do
        {
            var chunk = data[..Math.Min(data.Length, 32 * 1024)];
            data = data[chunk.Length..];
            var frame = new byte[SpdyFrameParser.HeaderLength + chunk.Length];
            BinaryPrimitives.WriteInt32BigEndian(frame, streamId & 0x7FFFFFFF);
            BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), chunk.Length);
            frame[4] = fin && data.IsEmpty ? SpdyFrameHeader.FlagFin : (byte)0;
            chunk.Span.CopyTo(frame.AsSpan(SpdyFrameParser.HeaderLength));
            await WriteAsync(frame, cancellationToken);
        }
        while (!data.IsEmpty);
    }

    private async ValueTask<bool> HandleFrameAsync(SpdyFrameHeader header, byte[] payload, CancellationToken cancellationToken)
    {
        switch (header.Type)
        {
            case SpdyFrameType.Data:
                if (DataReceived is { } data)
                {
                    await data(header.StreamId, payload, header.IsFin);
                }

                return true;
            case SpdyFrameType.SynStream:
                await OnSynStreamAsync(payload, cancellationToken);
                return true;
            case SpdyFrameType.SynReply or SpdyFrameType.Headers:
                // Decompressed only to keep the shared zlib context in step.
                SpdyHeaderBlock.Parse(_inflater.Inflate(payload.AsSpan(4)));
                return true;
            case SpdyFrameType.RstStream:
                if (StreamReset is { } reset)
                {
                    await reset(BinaryPrimitives.ReadInt32BigEndian(payload) & 0x7FFFFFFF);
                }

                return true;
            case SpdyFrameType.Ping:
                await WriteControlAsync(SpdyFrameType.Ping, 0, payload, cancellationToken);
                return true;
            case SpdyFrameType.GoAway:
                return false;
            default:
                // SETTINGS, WINDOW_UPDATE and unknown control frames: nothing to do (draft 3, section 2.2.1).
                return true;
        }
    }

    private async ValueTask OnSynStreamAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var streamId = BinaryPrimitives.ReadInt32BigEndian(payload) & 0x7FFFFFFF;
        var headers = SpdyHeaderBlock.Parse(_inflater.Inflate(payload.AsSpan(10)));
        if (streamId % 2 == 0 || streamId <= _lastStreamId)
        {
            throw new SpdyProtocolException($"SPDY client opened stream {streamId} after {_lastStreamId}; client streams are odd and increasing");
        }

        _lastStreamId = streamId;
        var reply = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(reply, streamId);
        var block = SpdyHeaderBlock.Compress([], first: !_replyHeadersSent);
        _replyHeadersSent = true;
        await WriteControlAsync(SpdyFrameType.SynReply, 0, [.. reply, .. block], cancellationToken);
        if (StreamOpened is { } opened)
        {
            await opened(streamId, headers);
        }
    }

    private async ValueTask SendGoAwayAsync(CancellationToken cancellationToken)
    {
        var goAway = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(goAway, _lastStreamId);
        BinaryPrimitives.WriteInt32BigEndian(goAway.AsSpan(4), GoAwayProtocolError);
        try
        {
            await WriteControlAsync(SpdyFrameType.GoAway, 0, goAway, cancellationToken);
        }
        catch (IOException)
        {
            // The client is gone already; the protocol error is what matters.
        }
    }

    private ValueTask WriteControlAsync(SpdyFrameType type, byte flags, ReadOnlySpan<byte> payload, CancellationToken cancellationToken)
    {
        var frame = new byte[SpdyFrameParser.HeaderLength + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, 0x80030000u | (ushort)type);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), payload.Length);
        frame[4] = flags;
        payload.CopyTo(frame.AsSpan(SpdyFrameParser.HeaderLength));
        return WriteAsync(frame, cancellationToken);
    }

    private async ValueTask WriteAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await transport.WriteAsync(frame, cancellationToken);
            await transport.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
