using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using EdgeCloud.Tunnel.Framing;

namespace EdgeCloud.Tunnel;

/// <summary>
/// Sending: one sender at a time on the WebSocket (whoever holds <see cref="_sending"/>: a writer, a reader returning
/// credit, the read loop, or the write loop), packing the frames of all streams fairly, so no stream's write can
/// block another's.
/// </summary>
public sealed partial class TunnelSession
{
    /// <summary>
    /// Frames are packed into WebSocket messages of at most this many bytes (fewer sends and receives for bulk).
    /// Measured on loopback through Kestrel and ClientWebSocket, messages just under 128 KiB move bulk fastest: with
    /// 112 KiB, 64 busy streams moved 1.2–1.4 times what they moved in 256 KiB messages, and one stream written in
    /// 1 MiB writes 1.5 times; at 128 KiB and above throughput drops by as much again (the cliff stayed with a
    /// 512 KiB TCP receive buffer, so it is not the socket's default 128 KiB).
    /// </summary>
    private const int BatchSize = 112 * 1024;

    /// <summary>A marker for <see cref="SendQueuedAsync"/>: send one batch, then leave the rest to the write loop.</summary>
    private static readonly TaskCompletionSource DoneAfterOneBatch = new();

    /// <summary>Under <see cref="_lock"/>: someone (the write loop or an inline sender) owns the WebSocket's send side.</summary>
    private bool _sending;

    /// <summary>
    /// The background sender, for frames nobody sends inline (control frames, keepalive, writes queued while
    /// another sender held the socket, the close). It sends only while it holds <see cref="_sending"/>.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        await Task.Yield();
        var token = _stopping.Token;
        try
        {
            while (true)
            {
                await _writeSignal.Reader.ReadAsync(token);
                lock (_lock)
                {
                    if (_sending)
                    {
                        // An inline sender holds the socket; it signals again when it leaves work behind.
                        continue;
                    }

                    _sending = true;
                }

                if (await SendQueuedAsync(null))
                {
                    if (_webSocket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await _webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, token);
                    }

                    return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (ChannelClosedException)
        {
        }
        catch (Exception e)
        {
            Abort(e);
        }
    }

    /// <summary>
    /// Under the lock: takes the send side for the caller when nobody else holds it and the session still sends
    /// data, so that a write (or a WindowUpdate) goes out on the caller's thread with no hop to the write loop.
    /// </summary>
    private bool TryTakeSender()
    {
        if (_sending || _closeRequested || _ended || _run is null)
        {
            return false;
        }

        _sending = true;
        return true;
    }

    /// <summary>
    /// Sends on the calling thread, which holds <see cref="_sending"/>, and lets go of it. A writer (its write's
    /// <paramref name="until"/>) stops as soon as its own write is taken; a reader returning credit or the read loop
    /// (null) after one message. What is left goes to the write loop, so a caller never keeps sending other streams'
    /// data. Errors abort the session.
    /// </summary>
    private async ValueTask SendInlineAsync(TaskCompletionSource? until)
    {
        try
        {
            await SendQueuedAsync(until ?? DoneAfterOneBatch);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Abort(e);
        }
    }

    /// <summary>
    /// Sends batches while the caller holds <see cref="_sending"/> until there is nothing to send or
    /// <paramref name="until"/> has completed (<see cref="DoneAfterOneBatch"/>: after one batch; null: the write
    /// loop, which stays until the queue is empty). Releases <see cref="_sending"/> under the lock in the same step
    /// that finds the reason to stop, so no queued frame is left without a sender; signals the write loop when
    /// frames remain. Returns true when the session is closing and the caller (the write loop) should close the
    /// WebSocket; the send side is then kept.
    /// </summary>
    private async ValueTask<bool> SendQueuedAsync(TaskCompletionSource? until)
    {
        byte[]? buffer = null;
        var released = false;
        var sentOnce = false;
        try
        {
            while (true)
            {
                int length;
                var close = false;
                var leftWork = false;
                lock (_lock)
                {
                    if (until is not null && (until.Task.IsCompleted || (sentOnce && until == DoneAfterOneBatch)))
                    {
                        length = 0;
                    }
                    else
                    {
                        buffer ??= ArrayPool<byte>.Shared.Rent(BatchSize);
                        length = FillBatch(buffer.AsSpan(0, BatchSize));
                    }

                    if (length == 0)
                    {
                        close = until is null && _closeRequested;
                        released = true;
                        if (!close)
                        {
                            _sending = false;
                            leftWork = HasQueuedFrames();
                        }
                    }
                }

                if (length == 0)
                {
                    if (leftWork)
                    {
                        Signal();
                    }

                    return close;
                }

                // No token for the send itself: a cancellable token sends the WebSocket down its slower path (a
                // registration per send), and ending the session aborts the socket, which fails a pending send anyway.
                await _webSocket.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
                TunnelMetrics.BytesSent.Add(length, _roleTag);
                sentOnce = true;
            }
        }
        finally
        {
            // Idle sessions hold no send buffer.
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (!released)
            {
                lock (_lock)
                {
                    // A failed send: the session is aborting; let go so nothing waits on a dead sender.
                    _sending = false;
                }
            }
        }
    }

    /// <summary>Under the lock: frames are waiting for a sender.</summary>
    private bool HasQueuedFrames() => _pongPending || _pingPending || _controls.Count > 0 || _ready.Count > 0 || _closeRequested;

    /// <summary>
    /// Packs frames into <paramref name="batch"/>: keepalive and control frames first (they are small and unblock
    /// the peer); then, in up to half the batch, the streams whose whole write fits one frame of
    /// <see cref="TunnelOptions.DataFrameSize"/> (a keystroke, a log line, a half-close), so they never wait behind
    /// bulk; then the ready streams round-robin, one frame of up to 64 KiB each per turn. Bulk moves in large frames
    /// (fewer headers, and the peer wakes each reader once per frame rather than once per 16 KiB), and a small
    /// write waits for at most the batch being sent. Returns the bytes written.
    /// </summary>
    private int FillBatch(Span<byte> batch)
    {
        var n = 0;
        if (_pongPending)
        {
            n += FrameWriter.WriteHeader(batch[n..], FrameType.Pong, 0, 0);
            _pongPending = false;
        }

        if (_pingPending)
        {
            n += FrameWriter.WriteHeader(batch[n..], FrameType.Ping, 0, 0);
            _pingPending = false;
        }

        while (_controls.TryPeek(out var control) && n + FrameParser.MaxHeaderLength + control.PayloadLength <= batch.Length)
        {
            _controls.Dequeue();
            n += control.Write(batch[n..]);
        }

        if (_closeRequested)
        {
            // Closing: no more stream data, only what tells the peer about it.
            return n;
        }

        var stalls = 0;
        // Small writes first, in queue order; the others keep their place. Exactly the streams queued now are
        // looked at: one served here and queued again goes behind them.
        var smallRoom = batch.Length / 2;
        for (var left = _ready.Count; left > 0 && n + FrameParser.MaxHeaderLength + 1 <= smallRoom; left--)
        {
            var stream = _ready.Dequeue();
            if (IsSmall(stream))
            {
                stream.InReadyQueue = false;
                n += TakeTurn(stream, batch[n..], _options.DataFrameSize, ref stalls);
            }
            else
            {
                _ready.Enqueue(stream);
            }
        }

        while (_ready.Count > 0 && n + FrameParser.MaxHeaderLength + 1 <= batch.Length)
        {
            var stream = _ready.Dequeue();
            stream.InReadyQueue = false;
            n += TakeTurn(stream, batch[n..], FrameParser.MaxPayloadLength, ref stalls);
        }

        if (stalls > 0)
        {
            TunnelMetrics.CreditStalls.Add(stalls, _roleTag);
        }

        return n;
    }

    /// <summary>Under the lock: everything the stream has to send now fits one small frame.</summary>
    private bool IsSmall(TunnelStream stream) =>
        stream.Closed
        || (stream.PendingWrite.IsEmpty ? stream.HalfClosePending : stream.PendingWrite.Length <= _options.DataFrameSize && stream.SendCredit >= stream.PendingWrite.Length);

    /// <summary>
    /// One turn of a stream just taken off the ready queue: a Data frame of up to <paramref name="turn"/> bytes
    /// (within its credit and <paramref name="room"/>), its HalfClose once its writes are all sent; queued again
    /// while it has more to send. Returns the bytes written to <paramref name="room"/>.
    /// </summary>
    private int TakeTurn(TunnelStream stream, Span<byte> room, int turn, ref int stalls)
    {
        if (stream.Closed)
        {
            return 0;
        }

        var n = 0;
        if (!stream.PendingWrite.IsEmpty && stream.SendCredit > 0)
        {
            var chunk = (int)Math.Min(Math.Min(stream.PendingWrite.Length, stream.SendCredit), Math.Min(turn, room.Length - FrameParser.MaxHeaderLength));
            n += FrameWriter.Write(room, FrameType.Data, stream.Id, stream.PendingWrite.Span[..chunk]);
            stream.PendingWrite = stream.PendingWrite[chunk..];
            stream.SendCredit -= chunk;
            if (stream.PendingWrite.IsEmpty)
            {
                // The bytes are copied: the writer may reuse its buffer.
                stream.PendingWriteCompletion!.TrySetResult();
                stream.PendingWriteCompletion = null;
            }
            else if (stream.SendCredit == 0)
            {
                stalls++;
            }
        }

        if (stream.PendingWrite.IsEmpty && stream.HalfClosePending)
        {
            if (n + FrameParser.MaxHeaderLength > room.Length)
            {
                MakeReady(stream);
                return n;
            }

            n += FrameWriter.WriteHeader(room[n..], FrameType.HalfClose, stream.Id, 0);
            stream.HalfClosePending = false;
            stream.HalfCloseSent = true;
            CloseIfFinished(stream);
            return n;
        }

        if (!stream.PendingWrite.IsEmpty && stream.SendCredit > 0)
        {
            MakeReady(stream);
        }

        return n;
    }
}
