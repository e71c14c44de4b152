using System.Buffers;
using System.Net.WebSockets;
using EdgeCloud.Tunnel.Framing;

namespace EdgeCloud.Tunnel;

/// <summary>The read loop: WebSocket messages → frames → stream state.</summary>
public sealed partial class TunnelSession
{
    /// <summary>
    /// Room for a whole message of ours and a partial largest frame left over, so that a leftover never blocks the
    /// next receive. A peer's larger message is simply received in parts: message boundaries mean nothing.
    /// </summary>
    private const int ReceiveBufferSize = BatchSize + FrameParser.MaxHeaderLength + FrameParser.MaxPayloadLength;

    /// <summary>A receive at least this large means bulk traffic: the receive buffer is kept for the next one.</summary>
    private const int BusyReceiveBytes = 16 * 1024;

    /// <summary>The read loop took the send side for writes a WindowUpdate unblocked (read loop only).</summary>
    private bool _readLoopSends;

    /// <summary>Streams that got Data in the current receive: their readers are woken once per receive, not per frame.</summary>
    private readonly List<TunnelStream> _unflushed = [];

    /// <summary>Returns when the peer closed the WebSocket; throws on any error.</summary>
    private async Task ReadLoopAsync()
    {
        byte[]? buffer = null;
        var buffered = 0;
        var busy = false;
        var token = _stopping.Token;
        try
        {
            while (true)
            {
                if (buffered == 0 && !busy)
                {
                    if (buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = null;
                    }

                    // An idle session holds no receive buffer: wait with a zero-byte read, rent when bytes arrive.
                    var probe = await _webSocket.ReceiveAsync(Memory<byte>.Empty, token);
                    if (probe.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                }

                buffer ??= ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
                // No token: Abort (every way the session ends) aborts the socket, which ends a pending receive, and a
                // token costs the WebSocket a registration per receive.
                var result = await _webSocket.ReceiveAsync(buffer.AsMemory(buffered), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (buffered > 0)
                    {
                        throw new TunnelProtocolException($"the WebSocket closed in the middle of a frame ({buffered} bytes of it received)");
                    }

                    return;
                }

                if (result.MessageType != WebSocketMessageType.Binary)
                {
                    throw new TunnelProtocolException("a text WebSocket message; the tunnel speaks binary only");
                }

                if (result.Count == 0)
                {
                    continue;
                }

                // Bulk traffic (a large receive) keeps the buffer for the next receive instead of a zero-byte wait
                // and a new rent per message; the first small receive (keepalive, credit, keystrokes) lets it go.
                busy = result.Count >= BusyReceiveBytes;
                Volatile.Write(ref _lastReceived, _timeProvider.GetTimestamp());
                TunnelMetrics.BytesReceived.Add(result.Count, _roleTag);
                buffered += result.Count;
                var unparsed = new ReadOnlySequence<byte>(buffer, 0, buffered);
                while (true)
                {
                    var status = FrameParser.TryParse(ref unparsed, out var frame, out var error);
                    if (status == FrameParseStatus.NeedMore)
                    {
                        break;
                    }

                    if (status == FrameParseStatus.ProtocolError)
                    {
                        throw new TunnelProtocolException(error!);
                    }

                    Dispatch(frame);
                }

                FlushReceived();
                if (_readLoopSends)
                {
                    _readLoopSends = false;
                    await SendInlineAsync(null);
                }

                var left = (int)unparsed.Length;
                if (left > 0 && left < buffered)
                {
                    Buffer.BlockCopy(buffer, buffered - left, buffer, 0, left);
                }

                buffered = left;
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (_readLoopSends)
            {
                lock (_lock)
                {
                    _sending = false;
                }
            }
        }
    }

    private void Dispatch(in TunnelFrame frame)
    {
        var signal = false;
        lock (_lock)
        {
            switch (frame.Type)
            {
                case FrameType.Ping:
                    _pongPending = true;
                    signal = true;
                    break;
                case FrameType.Pong:
                    break;
                case FrameType.GoAway:
                    _peerGoingAway = true;
                    break;
                case FrameType.Open:
                    signal = OnOpen(frame);
                    break;
                case FrameType.OpenAck:
                    OnOpenAck(frame);
                    break;
                case FrameType.OpenRefuse:
                    if (FindLocalOpening(frame.StreamId) is { } refused)
                    {
                        RemoveStream(refused, new TunnelStreamRefusedException(System.Text.Encoding.UTF8.GetString(frame.Payload.ToArray())));
                    }

                    break;
                case FrameType.Data:
                    signal = OnData(frame);
                    break;
                case FrameType.WindowUpdate:
                    if (OnWindowUpdate(frame))
                    {
                        // Credit for a waiting write: this loop sends it once the receive is parsed, a hop sooner
                        // than the write loop would.
                        if (_readLoopSends || TryTakeSender())
                        {
                            _readLoopSends = true;
                        }
                        else
                        {
                            signal = true;
                        }
                    }

                    break;
                case FrameType.HalfClose:
                    if (Find(frame) is { } finished)
                    {
                        finished.RemoteFinished = true;
                        finished.Incoming.Complete();
                        CloseIfFinished(finished);
                    }

                    break;
                case FrameType.Reset:
                    if (Find(frame) is { } reset)
                    {
                        RemoveStream(reset, new TunnelStreamResetException(System.Text.Encoding.UTF8.GetString(frame.Payload.ToArray()), byPeer: true));
                    }

                    break;
            }

            // A sender at work picks the new frames up (and signals when it leaves some behind).
            signal &= !_sending;
        }

        if (signal)
        {
            Signal();
        }
    }

    private bool OnOpen(in TunnelFrame frame)
    {
        var id = frame.StreamId;
        if (IsLocalId(id) || id <= _highestPeerId)
        {
            throw new TunnelProtocolException($"Open of stream {id}: the peer must open new ids of its own parity in increasing order");
        }

        _highestPeerId = id;
        var peerWindow = FrameParser.ReadWindow(frame.Payload);
        var header = frame.Payload.Slice(4).ToArray();
        string? refusal = null;
        if (_shuttingDown || _ended)
        {
            refusal = "the tunnel session is shutting down";
        }
        else if (_streamHandler is null)
        {
            refusal = "this side accepts no streams";
        }
        else if (_peerStreamCount >= _options.MaxConcurrentStreams)
        {
            refusal = $"too many concurrent streams (at most {_options.MaxConcurrentStreams})";
        }

        if (refusal is not null)
        {
            EnqueueControl(new ControlFrame(FrameType.OpenRefuse, id, 0, ControlFrame.Reason(refusal)));
            TunnelMetrics.StreamsRefused.Add(1, _roleTag);
            return true;
        }

        var stream = new TunnelStream(this, id, header, NextReceiveWindow(), openedByPeer: true) { SendCredit = peerWindow };
        AddStream(stream);
        var incoming = new TunnelIncomingStream(this, stream);
        _ = Task.Run(() => RunHandlerAsync(incoming));
        return false;
    }

    private void OnOpenAck(in TunnelFrame frame)
    {
        if (FindLocalOpening(frame.StreamId) is not { } stream)
        {
            return;
        }

        stream.SendCredit = FrameParser.ReadWindow(frame.Payload);
        stream.OpenCompletion!.TrySetResult(stream);
    }

    private bool OnData(in TunnelFrame frame)
    {
        if (Find(frame) is not { } stream)
        {
            return false;
        }

        var length = (int)frame.Payload.Length;
        if (length > stream.PeerCredit)
        {
            throw new TunnelProtocolException($"stream {stream.Id}: {length} bytes of Data with only {stream.PeerCredit} bytes of credit left (flow control violated)");
        }

        if (stream.RemoteFinished)
        {
            throw new TunnelProtocolException($"stream {stream.Id}: Data after HalfClose");
        }

        stream.PeerCredit -= length;
        if (stream.Discarding)
        {
            stream.UnannouncedCredit += length;
            if (stream.UnannouncedCredit < stream.ReceiveWindow / 4)
            {
                return false;
            }

            stream.PeerCredit += stream.UnannouncedCredit;
            EnqueueControl(new ControlFrame(FrameType.WindowUpdate, stream.Id, stream.UnannouncedCredit, null));
            stream.UnannouncedCredit = 0;
            return true;
        }

        foreach (var segment in frame.Payload)
        {
            stream.Incoming.Write(segment.Span);
        }

        if (!stream.Unflushed)
        {
            stream.Unflushed = true;
            _unflushed.Add(stream);
        }

        return false;
    }

    private void FlushReceived()
    {
        if (_unflushed.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var stream in _unflushed)
            {
                stream.Unflushed = false;
                // A waiting reader got its bytes copied straight into its buffer: wake it once per receive.
                stream.Incoming.Flush();
            }
        }

        _unflushed.Clear();
    }

    private bool OnWindowUpdate(in TunnelFrame frame)
    {
        if (Find(frame) is not { } stream)
        {
            return false;
        }

        var credit = stream.SendCredit + FrameParser.ReadWindow(frame.Payload);
        if (credit > int.MaxValue)
        {
            throw new TunnelProtocolException($"stream {stream.Id}: WindowUpdate raises the credit past 2^31-1");
        }

        stream.SendCredit = credit;
        if (stream.PendingWrite.IsEmpty)
        {
            return false;
        }

        MakeReady(stream);
        return true;
    }

    /// <summary>
    /// The open stream a frame is for, or null for a stream that has already closed (frames can cross a reset).
    /// A frame for a stream that was never opened is a protocol error.
    /// </summary>
    private TunnelStream? Find(in TunnelFrame frame)
    {
        if (_streams.TryGetValue(frame.StreamId, out var stream))
        {
            if (!stream.OpenedByPeer && stream.OpenCompletion is { Task.IsCompleted: false })
            {
                throw new TunnelProtocolException($"{frame.Type} on stream {frame.StreamId} before the peer accepted it");
            }

            return stream;
        }

        CheckWasOpened(frame.StreamId, frame.Type);
        return null;
    }

    private TunnelStream? FindLocalOpening(int id)
    {
        if (_streams.TryGetValue(id, out var stream) && !stream.OpenedByPeer && stream.OpenCompletion is { Task.IsCompleted: false })
        {
            return stream;
        }

        if (stream is not null)
        {
            throw new TunnelProtocolException($"a second answer to the open of stream {id}");
        }

        CheckWasOpened(id, FrameType.OpenAck);
        if (!IsLocalId(id))
        {
            throw new TunnelProtocolException($"an answer to the open of stream {id}, which the peer opened itself");
        }

        return null;
    }

    private void CheckWasOpened(int id, FrameType type)
    {
        var opened = IsLocalId(id) ? id < _nextLocalId : id <= _highestPeerId;
        if (!opened)
        {
            throw new TunnelProtocolException($"{type} for stream {id}, which was never opened");
        }
    }

    private bool IsLocalId(int id) => (id % 2 == 1) == (Role == TunnelRole.Client);

    private async Task RunHandlerAsync(TunnelIncomingStream incoming)
    {
        var stream = incoming.Stream;
        try
        {
            await _streamHandler!(incoming, _stopping.Token);
            if (!incoming.IsDecided)
            {
                try
                {
                    incoming.Refuse("the stream was not accepted");
                }
                catch (InvalidOperationException)
                {
                    // Decided concurrently by a task the handler left behind.
                }
            }
            else if (incoming.IsAccepted)
            {
                await stream.DisposeAsync();
            }
        }
        catch (Exception e)
        {
            if (!_stopping.IsCancellationRequested)
            {
                TunnelLog.StreamHandlerFailed(_logger, stream.Id, e);
            }

            if (!incoming.IsDecided)
            {
                try
                {
                    incoming.Refuse("the stream handler failed");
                }
                catch (InvalidOperationException)
                {
                }
            }
            else
            {
                stream.Reset("the stream handler failed");
            }
        }
    }
}
