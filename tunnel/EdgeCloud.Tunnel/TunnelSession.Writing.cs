using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using EdgeCloud.Tunnel.Framing;

namespace EdgeCloud.Tunnel;

/// <summary>The write loop: the only sender on the WebSocket, so no stream's write can block another's.</summary>
public sealed partial class TunnelSession
{
    /// <summary>Frames are packed into WebSocket messages of at most this many bytes (fewer sends and receives for bulk).</summary>
    private const int BatchSize = 256 * 1024;

    private async Task WriteLoopAsync()
    {
        await Task.Yield();
        byte[]? buffer = null;
        var token = _stopping.Token;
        try
        {
            while (true)
            {
                await _writeSignal.Reader.ReadAsync(token);
                while (true)
                {
                    buffer ??= ArrayPool<byte>.Shared.Rent(BatchSize);
                    int length;
                    bool close;
                    lock (_lock)
                    {
                        length = FillBatch(buffer.AsSpan(0, BatchSize));
                        close = length == 0 && _closeRequested;
                    }

                    if (length > 0)
                    {
                        await _webSocket.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Binary, endOfMessage: true, token);
                        TunnelMetrics.BytesSent.Add(length, _roleTag);
                        continue;
                    }

                    if (close)
                    {
                        if (_webSocket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                        {
                            await _webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, token);
                        }

                        return;
                    }

                    break;
                }

                // Idle sessions hold no send buffer either.
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = null;
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
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// Packs frames into <paramref name="batch"/>: keepalive and control frames first (they are small and unblock
    /// the peer), then one Data frame per ready stream in turn, so every stream gets a frame per round and a
    /// keystroke waits behind at most one frame of each bulk stream. Returns the bytes written.
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
        while (_ready.Count > 0 && n + FrameParser.MaxHeaderLength + 1 <= batch.Length)
        {
            var stream = _ready.Dequeue();
            stream.InReadyQueue = false;
            if (stream.Closed)
            {
                continue;
            }

            if (!stream.PendingWrite.IsEmpty && stream.SendCredit > 0)
            {
                var room = batch.Length - n - FrameParser.MaxHeaderLength;
                // Turns of DataFrameSize only matter when another stream waits for its turn; a stream alone sends
                // the largest frames, which costs fewer headers and fewer wake-ups of the peer's reader.
                var turn = _ready.Count == 0 ? FrameParser.MaxPayloadLength : _options.DataFrameSize;
                var chunk = (int)Math.Min(Math.Min(stream.PendingWrite.Length, stream.SendCredit), Math.Min(turn, room));
                n += FrameWriter.Write(batch[n..], FrameType.Data, stream.Id, stream.PendingWrite.Span[..chunk]);
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
                if (n + FrameParser.MaxHeaderLength > batch.Length)
                {
                    MakeReady(stream);
                    break;
                }

                n += FrameWriter.WriteHeader(batch[n..], FrameType.HalfClose, stream.Id, 0);
                stream.HalfClosePending = false;
                stream.HalfCloseSent = true;
                CloseIfFinished(stream);
                continue;
            }

            if (!stream.PendingWrite.IsEmpty && stream.SendCredit > 0)
            {
                MakeReady(stream);
            }
        }

        if (stalls > 0)
        {
            TunnelMetrics.CreditStalls.Add(stalls, _roleTag);
        }

        return n;
    }
}
