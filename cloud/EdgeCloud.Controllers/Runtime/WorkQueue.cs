using Microsoft.Extensions.Logging;

namespace EdgeCloud.Controllers.Runtime;

/// <summary>
/// A controller's queue of object keys, as client-go's workqueue: a key queued several times before it is
/// processed is processed once, a key is never processed by two workers at once, and a key added while it is
/// being processed is processed again afterwards. Nothing runs while the queue is empty: a worker is started on
/// the thread pool when the first key arrives and ends when the queue drains, so an idle cluster costs nothing.
/// </summary>
public sealed partial class WorkQueue<TKey> where TKey : notnull
{
    private readonly Func<TKey, CancellationToken, Task> _process;
    private readonly DeadlineTimer _timer;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly CancellationToken _stopping;
    private readonly Queue<TKey> _queue = new();
    private readonly HashSet<TKey> _queued = [];
    private readonly HashSet<TKey> _active = [];
    private readonly HashSet<TKey> _dirtyWhileActive = [];
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly Lock _lock = new();
    private readonly int _maxWorkers;
    private int _workers;

    /// <summary>A queue whose keys are handed to <paramref name="process"/> by up to <paramref name="maxWorkers"/> workers.</summary>
    public WorkQueue(string name, Func<TKey, CancellationToken, Task> process, DeadlineTimer timer, ILogger logger, CancellationToken stopping, int maxWorkers = 1)
    {
        _name = name;
        _process = process;
        _timer = timer;
        _logger = logger;
        _stopping = stopping;
        _maxWorkers = maxWorkers;
    }

    /// <summary>Delay before the first retry of a failing key; it doubles per failure up to <see cref="MaxRetryDelay"/>.</summary>
    public static TimeSpan FirstRetryDelay { get; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest delay between retries of a failing key.</summary>
    public static TimeSpan MaxRetryDelay { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Keys waiting or being processed.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count + _active.Count;
            }
        }
    }

    /// <summary>Queues <paramref name="key"/>.</summary>
    public void Add(TKey key)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        var start = false;
        lock (_lock)
        {
            if (_active.Contains(key))
            {
                _dirtyWhileActive.Add(key);
                return;
            }

            if (!_queued.Add(key))
            {
                return;
            }

            _queue.Enqueue(key);
            if (_workers < _maxWorkers)
            {
                _workers++;
                start = true;
            }
        }

        if (start)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }
    }

    /// <summary>Queues <paramref name="key"/> after <paramref name="delay"/> (through the shared deadline timer).</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        _timer.After(delay, () => Add(key));
    }

    /// <summary>Queues <paramref name="key"/> at <paramref name="at"/>.</summary>
    public void AddAt(TKey key, DateTimeOffset at) => _timer.At(at, () => Add(key));

    private async Task DrainAsync()
    {
        while (true)
        {
            TKey key;
            lock (_lock)
            {
                if (_stopping.IsCancellationRequested || !_queue.TryDequeue(out key!))
                {
                    _workers--;
                    return;
                }

                _queued.Remove(key);
                _active.Add(key);
            }

            var failed = false;
            try
            {
                await _process(key, _stopping);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
            catch (Exception error)
            {
                failed = true;
                LogFailed(_logger, _name, key.ToString() ?? "", error);
            }

            TimeSpan? retry = null;
            bool again;
            lock (_lock)
            {
                _active.Remove(key);
                again = _dirtyWhileActive.Remove(key);
                if (failed)
                {
                    var count = _failures.GetValueOrDefault(key) + 1;
                    _failures[key] = count;
                    var delay = FirstRetryDelay * Math.Pow(2, Math.Min(count - 1, 20));
                    retry = delay > MaxRetryDelay ? MaxRetryDelay : delay;
                }
                else
                {
                    _failures.Remove(key);
                }
            }

            if (again)
            {
                Add(key);
            }
            else if (retry is { } wait)
            {
                AddAfter(key, wait);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Queue}: processing {Key} failed; retrying with back-off")]
    private static partial void LogFailed(ILogger logger, string queue, string key, Exception error);
}
