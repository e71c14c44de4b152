using EdgeCloud.Tunnel.Framing;

namespace EdgeCloud.Tunnel;

/// <summary>Stream state changes; all under <see cref="_lock"/>, called by <see cref="TunnelStream"/> and the read loop.</summary>
public sealed partial class TunnelSession
{
    internal void AcceptIncoming(TunnelStream stream)
    {
        lock (_lock)
        {
            stream.ThrowIfClosed();
            EnqueueControl(new ControlFrame(FrameType.OpenAck, stream.Id, stream.ReceiveWindow, null));
        }

        Signal();
    }

    internal void RefuseIncoming(TunnelStream stream, string reason)
    {
        lock (_lock)
        {
            if (stream.Closed)
            {
                return;
            }

            RemoveStream(stream, null);
            EnqueueControl(new ControlFrame(FrameType.OpenRefuse, stream.Id, 0, ControlFrame.Reason(reason)));
        }

        TunnelMetrics.StreamsRefused.Add(1, _roleTag);
        Signal();
    }

    /// <summary>
    /// Hands a write to the session. With credit and an idle socket the calling thread sends it at once
    /// (<paramref name="sendInline"/>: call <see cref="SendInlineAsync"/>), so a writer that keeps up costs no
    /// hop to the write loop; otherwise the write loop sends it when the socket and the credit allow.
    /// </summary>
    internal TaskCompletionSource StartWrite(TunnelStream stream, ReadOnlyMemory<byte> buffer, out bool sendInline)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stalled = false;
        var signal = false;
        sendInline = false;
        lock (_lock)
        {
            if (stream.WritesCompleted && stream.CloseError is null)
            {
                throw new InvalidOperationException("writes on this stream were completed");
            }

            stream.ThrowIfClosed();

            if (stream.PendingWriteCompletion is not null)
            {
                throw new InvalidOperationException("a write on this stream is already in progress");
            }

            stream.PendingWrite = buffer;
            stream.PendingWriteCompletion = completion;
            if (stream.SendCredit > 0)
            {
                MakeReady(stream);
                sendInline = TryTakeSender();
                // A sender at work takes this stream in its next batch, and signals the write loop if it leaves
                // the stream behind: waking the loop now would only find the socket taken.
                signal = !sendInline && !_sending;
            }
            else
            {
                stalled = true;
            }
        }

        if (stalled)
        {
            TunnelMetrics.CreditStalls.Add(1, _roleTag);
        }
        else if (signal)
        {
            Signal();
        }

        return completion;
    }

    /// <summary>Sends the caller's write inline until it is taken; see <see cref="StartWrite"/>.</summary>
    internal ValueTask SendWriteInlineAsync(TaskCompletionSource completion) => SendInlineAsync(completion);

    internal void CancelWrite(TunnelStream stream, TaskCompletionSource completion, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (stream.PendingWriteCompletion != completion)
            {
                return;
            }

            stream.PendingWrite = default;
            stream.PendingWriteCompletion = null;
        }

        completion.TrySetCanceled(cancellationToken);
    }

    internal void CompleteWrites(TunnelStream stream)
    {
        lock (_lock)
        {
            if (stream.WritesCompleted)
            {
                return;
            }

            stream.ThrowIfClosed();
            if (stream.PendingWriteCompletion is not null)
            {
                throw new InvalidOperationException("a write on this stream is still in progress");
            }

            stream.WritesCompleted = true;
            stream.HalfClosePending = true;
            MakeReady(stream);
        }

        Signal();
    }

    internal void ResetLocally(TunnelStream stream, string reason)
    {
        lock (_lock)
        {
            if (stream.Closed)
            {
                return;
            }

            RemoveStream(stream, new TunnelStreamResetException(reason, byPeer: false));
            EnqueueControl(new ControlFrame(FrameType.Reset, stream.Id, 0, ControlFrame.Reason(reason)));
        }

        Signal();
    }

    internal void OnDisposed(TunnelStream stream)
    {
        lock (_lock)
        {
            if (stream.Closed)
            {
                return;
            }

            if (!stream.WritesCompleted)
            {
                stream.WritesCompleted = true;
                stream.HalfClosePending = true;
                MakeReady(stream);
            }

            if (!stream.RemoteFinished && !stream.Discarding)
            {
                // Nobody reads any more: drop what is buffered and what still comes, and give the credit back so
                // the peer's writer never stalls on a stream it has not finished.
                stream.Discarding = true;
                stream.Incoming.Complete(discard: true);
                var credit = stream.ReceiveWindow - stream.PeerCredit;
                if (credit > 0)
                {
                    stream.PeerCredit = stream.ReceiveWindow;
                    stream.UnannouncedCredit = 0;
                    EnqueueControl(new ControlFrame(FrameType.WindowUpdate, stream.Id, (int)credit, null));
                }
            }

            CloseIfFinished(stream);
        }

        Signal();
    }

    /// <summary>
    /// The reader consumed <paramref name="count"/> bytes. Credit goes back in halves of the window; the
    /// WindowUpdate is sent on the reader's thread when the socket is idle (true: await <see cref="SendInlineAsync"/>).
    /// </summary>
    internal bool OnConsumed(TunnelStream stream, int count)
    {
        bool inline;
        bool signal;
        lock (_lock)
        {
            if (stream.Closed || stream.RemoteFinished)
            {
                return false;
            }

            stream.UnannouncedCredit += count;
            // Return credit in halves of the window: few WindowUpdates (each costs both ends a send, a receive and
            // a wake-up), and a sender facing a reader that keeps up still has half a window in flight.
            if (stream.UnannouncedCredit < stream.ReceiveWindow / 2)
            {
                return false;
            }

            var credit = stream.UnannouncedCredit + GrowReceiveWindow(stream);
            stream.PeerCredit += credit;
            EnqueueControl(new ControlFrame(FrameType.WindowUpdate, stream.Id, credit, null));
            stream.UnannouncedCredit = 0;
            inline = TryTakeSender();
            signal = !inline && !_sending;
        }

        if (signal)
        {
            Signal();
        }

        return inline;
    }

    /// <summary>
    /// Under the lock, as credit goes back: a stream whose reader has taken everything that arrived (it keeps up,
    /// so the window, not the reader, limits it) gets its window doubled, up to <see cref="TunnelOptions.MaxStreamWindow"/>,
    /// while the growth of all streams together stays within an eighth of <see cref="TunnelOptions.SessionReceiveBudget"/>
    /// (4 MiB by default: one bulk stream grows all the way, and many busy streams add little to what is in flight).
    /// Growth is counted apart from the initial windows, so it never takes a window from a stream opened later (an
    /// earlier version charged it to the budget, and 64 streams opened together then found it spent and got 16 KiB
    /// windows). Bulk transfers need fewer WindowUpdates, while a reader that stops still bounds what is buffered
    /// for it by its (grown) window. Returns the bytes added, to be granted with the WindowUpdate.
    /// </summary>
    private int GrowReceiveWindow(TunnelStream stream)
    {
        if (stream.Incoming.Length > 0)
        {
            return 0;
        }

        var growth = Math.Min(stream.ReceiveWindow, _options.MaxStreamWindow - stream.ReceiveWindow);
        if (growth <= 0 || _grownReceiveWindow + growth > _options.SessionReceiveBudget / 8)
        {
            return 0;
        }

        stream.ReceiveWindow += growth;
        _grownReceiveWindow += growth;
        return growth;
    }

    /// <summary>
    /// Starts a read: the bytes taken at once (0 at end of stream), or -1 when the reader waits for the read loop to
    /// fill <paramref name="buffer"/> (await <paramref name="wait"/>; <paramref name="version"/> for <see cref="CancelRead"/>).
    /// </summary>
    internal int StartRead(TunnelStream stream, Memory<byte> buffer, out ValueTask<int> wait, out short version)
    {
        lock (_lock)
        {
            return stream.Incoming.TryRead(buffer, out var count, out wait, out version) ? count : -1;
        }
    }

    internal void CancelRead(TunnelStream stream, short version, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            stream.Incoming.CancelWait(version, cancellationToken);
        }
    }

    /// <summary>Sends one batch (the WindowUpdate <see cref="OnConsumed"/> queued) on the reader's thread.</summary>
    internal ValueTask SendCreditInlineAsync() => SendInlineAsync(null);

    private void CancelOpen(TunnelStream stream, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (stream.Closed || stream.OpenCompletion is not { Task.IsCompleted: false })
            {
                return;
            }

            RemoveStream(stream, new OperationCanceledException(cancellationToken));
            EnqueueControl(new ControlFrame(FrameType.Reset, stream.Id, 0, ControlFrame.Reason("the open was cancelled")));
        }

        Signal();
    }

    private void AddStream(TunnelStream stream)
    {
        _streams.Add(stream.Id, stream);
        _committedReceiveWindow += stream.ReceiveWindow;
        if (stream.OpenedByPeer)
        {
            _peerStreamCount++;
        }

        TunnelMetrics.Streams.Add(1, _roleTag);
    }

    /// <summary>A stream whose both directions are done leaves the session.</summary>
    private void CloseIfFinished(TunnelStream stream)
    {
        if (!stream.Closed && stream.HalfCloseSent && stream.RemoteFinished)
        {
            RemoveStream(stream, null);
        }
    }

    /// <summary>Takes a stream out; <paramref name="error"/> (if any) fails its pending open, write and reads.</summary>
    private void RemoveStream(TunnelStream stream, Exception? error)
    {
        if (stream.Closed)
        {
            return;
        }

        stream.Closed = true;
        stream.CloseError = error;
        _streams.Remove(stream.Id);
        _committedReceiveWindow -= stream.InitialReceiveWindow;
        _grownReceiveWindow -= stream.ReceiveWindow - stream.InitialReceiveWindow;
        if (stream.OpenedByPeer)
        {
            _peerStreamCount--;
        }

        TunnelMetrics.Streams.Add(-1, _roleTag);
        if (error is not null)
        {
            if (stream.OpenCompletion is { } open)
            {
                if (error is OperationCanceledException cancelled)
                {
                    open.TrySetCanceled(cancelled.CancellationToken);
                }
                else
                {
                    open.TrySetException(error);
                }
            }

            stream.PendingWriteCompletion?.TrySetException(error);
            stream.PendingWriteCompletion = null;
            stream.PendingWrite = default;
            stream.Incoming.Complete(error);
        }
        else
        {
            stream.Incoming.Complete();
        }

        if (_streams.Count == 0 && (_shuttingDown || _ended))
        {
            _drained.TrySetResult();
        }
    }

    private void FailStreams(Exception error)
    {
        lock (_lock)
        {
            _ended = true;
            foreach (var stream in _streams.Values.ToList())
            {
                RemoveStream(stream, error);
            }

            _ready.Clear();
            _drained.TrySetResult();
        }
    }

    private void MakeReady(TunnelStream stream)
    {
        if (!stream.InReadyQueue)
        {
            stream.InReadyQueue = true;
            _ready.Enqueue(stream);
        }
    }
}
