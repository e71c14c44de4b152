using System.Threading.Channels;

namespace EdgeCloud.Store;

/// <summary>
/// A live watch on the keys under a prefix. Events arrive in revision order, each exactly once.
/// The reader completes with <see cref="WatchTerminatedException"/> when the store ends the watch;
/// dispose the watch to stop it.
/// </summary>
public sealed class StoreWatch : IAsyncDisposable
{
    private readonly Channel<WatchEvent> _channel;
    private readonly string _prefixEnd;
    private readonly int _capacity;
    private readonly Action<StoreWatch> _unregister;
    private List<WatchEvent>? _pendingWhileCatchingUp;
    private int _disposed;

    internal StoreWatch(string clusterId, string prefix, long startRevision, int capacity, bool catchingUp, Action<StoreWatch> unregister)
    {
        ClusterId = clusterId;
        Prefix = prefix;
        StartRevision = startRevision;
        Cursor = startRevision;
        _prefixEnd = StoreKeys.PrefixEnd(prefix);
        _capacity = capacity;
        _unregister = unregister;
        _pendingWhileCatchingUp = catchingUp ? [] : null;
        _channel = Channel.CreateBounded<WatchEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = false,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The cluster watched.</summary>
    public string ClusterId { get; }

    /// <summary>The key prefix watched.</summary>
    public string Prefix { get; }

    /// <summary>Events with a revision greater than this are delivered.</summary>
    public long StartRevision { get; }

    /// <summary>The events, oldest first.</summary>
    public ChannelReader<WatchEvent> Events => _channel.Reader;

    /// <summary>Revision of the newest event handed to the channel (or skipped as outside the prefix).</summary>
    internal long Cursor { get; private set; }

    internal bool IsCatchingUp => _pendingWhileCatchingUp is not null;

    internal bool IsTerminated => _channel.Reader.Completion.IsCompleted;

    /// <summary>Reads the events until the watch ends.</summary>
    public IAsyncEnumerable<WatchEvent> ReadAllAsync(CancellationToken cancellationToken = default) =>
        _channel.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Stops the watch; the reader completes without error.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _channel.Writer.TryComplete();
            _unregister(this);
        }

        return ValueTask.CompletedTask;
    }

    internal bool Matches(string key) =>
        string.CompareOrdinal(key, Prefix) >= 0 && string.CompareOrdinal(key, _prefixEnd) < 0;

    /// <summary>Offers a live event; called by the feed under its lock, in revision order.</summary>
    internal void Offer(WatchEvent change)
    {
        if (change.Revision <= Cursor || IsTerminated)
        {
            return;
        }

        if (_pendingWhileCatchingUp is { } pending)
        {
            if (!Matches(change.Key))
            {
                return;
            }

            if (pending.Count >= _capacity)
            {
                Terminate(new WatchTerminatedException($"watch of {Prefix} fell more than {_capacity} events behind"));
                return;
            }

            pending.Add(change);
            return;
        }

        Deliver(change);
    }

    /// <summary>
    /// Writes one event of the catch-up read, waiting for the reader if the buffer is full.
    /// Returns false when the watch was disposed or terminated meanwhile.
    /// </summary>
    internal async ValueTask<bool> DeliverCatchUpAsync(WatchEvent change, CancellationToken cancellationToken)
    {
        if (change.Revision <= Cursor)
        {
            return true;
        }

        if (Matches(change.Key))
        {
            while (!_channel.Writer.TryWrite(change))
            {
                if (!await _channel.Writer.WaitToWriteAsync(cancellationToken))
                {
                    return false;
                }
            }
        }

        Cursor = change.Revision;
        return true;
    }

    /// <summary>Moves the events that arrived during catch-up into the channel and goes live; called under the feed lock.</summary>
    internal void FinishCatchUp()
    {
        var pending = _pendingWhileCatchingUp;
        _pendingWhileCatchingUp = null;
        if (pending is null)
        {
            return;
        }

        foreach (var change in pending)
        {
            if (change.Revision > Cursor)
            {
                Deliver(change);
            }
        }
    }

    internal void Terminate(Exception reason) => _channel.Writer.TryComplete(reason);

    private void Deliver(WatchEvent change)
    {
        if (Matches(change.Key) && !_channel.Writer.TryWrite(change))
        {
            if (!IsTerminated)
            {
                Terminate(new WatchTerminatedException($"watch of {Prefix} fell more than {_capacity} events behind"));
            }

            return;
        }

        Cursor = change.Revision;
    }
}
