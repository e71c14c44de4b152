namespace EdgeCloud.Controllers.Runtime;

/// <summary>
/// One timer for the whole process that runs callbacks at their due times: node lease expiry, minReadySeconds,
/// progress deadlines, back-off and TTLs of every cluster share it, so an idle cluster holds no timer of its own
/// and costs no CPU. Callbacks must be quick (they enqueue work); they run on the timer's thread-pool callback.
/// </summary>
public sealed class DeadlineTimer : IDisposable
{
    private readonly TimeProvider _time;
    private readonly PriorityQueue<Action, DateTimeOffset> _due = new();
    private readonly Lock _lock = new();
    private readonly ITimer _timer;
    private DateTimeOffset? _armedFor;
    private bool _disposed;

    /// <summary>A timer driven by <paramref name="time"/> (tests pass a fake clock).</summary>
    public DeadlineTimer(TimeProvider time)
    {
        _time = time;
        _timer = time.CreateTimer(static state => ((DeadlineTimer)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Callbacks waiting (for tests and metrics).</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _due.Count;
            }
        }
    }

    /// <summary>Runs <paramref name="callback"/> at <paramref name="at"/> (at once, on the thread pool, when that is past).</summary>
    public void At(DateTimeOffset at, Action callback)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _due.Enqueue(callback, at);
            ArmLocked();
        }
    }

    /// <summary>Runs <paramref name="callback"/> after <paramref name="delay"/>.</summary>
    public void After(TimeSpan delay, Action callback) => At(_time.GetUtcNow() + delay, callback);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _due.Clear();
        }

        _timer.Dispose();
    }

    private void Fire()
    {
        var ready = new List<Action>();
        lock (_lock)
        {
            _armedFor = null;
            var now = _time.GetUtcNow();
            while (_due.TryPeek(out _, out var at) && at <= now)
            {
                ready.Add(_due.Dequeue());
            }

            ArmLocked();
        }

        foreach (var callback in ready)
        {
            callback();
        }
    }

    private void ArmLocked()
    {
        if (_disposed || !_due.TryPeek(out _, out var next) || (_armedFor is { } armed && armed <= next))
        {
            return;
        }

        _armedFor = next;
        var wait = next - _time.GetUtcNow();
        _timer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
    }
}
