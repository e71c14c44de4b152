using Microsoft.Extensions.Logging;

namespace EdgeCloud.Store.Watch;

/// <summary>
/// Reads one cluster's history once and fans each event out to every watch of that cluster.
/// It wakes only when told the cluster changed (a local commit or a PostgreSQL notification) and then
/// reads the history table by revision, so a lost notice delays nothing that the next notice or
/// listener reconnect does not recover. It exists only while the cluster has watches.
/// </summary>
internal sealed class ClusterWatchFeed(string clusterId, IStoreBackend backend, ILogger logger, CancellationToken shutdown)
{
    private const int PageSize = 1_000;

    private readonly object _gate = new();
    private readonly List<StoreWatch> _watches = [];
    private Task? _initialization;
    private long _dispatched;
    private bool _pumping;
    private bool _dirty;

    public string ClusterId { get; } = clusterId;

    /// <summary>Number of holders; changed only under the hub's lock.</summary>
    public int References { get; set; }

    /// <summary>Reads the cluster's revision so that the feed knows where live delivery starts.</summary>
    public Task InitializeAsync()
    {
        lock (_gate)
        {
            return _initialization ??= InitializeCoreAsync();
        }
    }

    /// <summary>Adds a watch; returns the revision up to which it must catch up from history itself.</summary>
    public (StoreWatch Watch, long CatchUpTo) Add(string prefix, long afterRevision, int capacity, Action<StoreWatch> unregister)
    {
        lock (_gate)
        {
            var start = afterRevision == 0 ? _dispatched : afterRevision;
            var watch = new StoreWatch(ClusterId, prefix, start, capacity, catchingUp: start < _dispatched, unregister);
            _watches.Add(watch);
            return (watch, _dispatched);
        }
    }

    public void Remove(StoreWatch watch)
    {
        lock (_gate)
        {
            _watches.Remove(watch);
        }
    }

    public void FinishCatchUp(StoreWatch watch)
    {
        lock (_gate)
        {
            watch.FinishCatchUp();
        }
    }

    public void TerminateAll(Exception reason)
    {
        lock (_gate)
        {
            foreach (var watch in _watches)
            {
                watch.Terminate(reason);
            }

            _watches.Clear();
        }
    }

    /// <summary>The cluster committed up to <paramref name="revision"/> (0: unknown, read to find out).</summary>
    public void Signal(long revision)
    {
        lock (_gate)
        {
            if (_initialization is not { IsCompletedSuccessfully: true } || (revision != 0 && revision <= _dispatched))
            {
                return;
            }

            if (_pumping)
            {
                _dirty = true;
                return;
            }

            _pumping = true;
        }

        // Never on the caller's thread: Signal is called from the writer right after a commit, and the SQLite
        // driver reads synchronously, so an inline pump would hold up the next batch's commit for a history read.
        _ = Task.Run(PumpAsync, CancellationToken.None);
    }

    private async Task InitializeCoreAsync()
    {
        var revision = await backend.GetRevisionAsync(ClusterId, shutdown) ?? throw new ClusterNotFoundException(ClusterId);
        lock (_gate)
        {
            _dispatched = revision;
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                long from;
                lock (_gate)
                {
                    _dirty = false;
                    from = _dispatched;
                }

                var page = await backend.ReadLogAsync(ClusterId, from, PageSize, shutdown);
                if (page is null)
                {
                    TerminateAll(new WatchTerminatedException($"cluster \"{ClusterId}\" was deleted"));
                    StopPumping();
                    return;
                }

                if (page.CompactRevision > from)
                {
                    // Only possible when compaction overtakes a stalled feed: its watches would miss events.
                    TerminateAll(new WatchTerminatedException("watch history was compacted before it could be delivered",
                        new RevisionCompactedException(from, page.CompactRevision)));
                    lock (_gate)
                    {
                        _dispatched = page.HeadRevision;
                    }

                    continue;
                }

                lock (_gate)
                {
                    foreach (var change in page.Events)
                    {
                        foreach (var watch in _watches)
                        {
                            watch.Offer(change);
                        }

                        _dispatched = change.Revision;
                    }

                    _watches.RemoveAll(static w => w.IsTerminated);
                    if (page.Events.Count < PageSize && !_dirty)
                    {
                        _pumping = false;
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            StopPumping();
        }
        catch (Exception ex)
        {
            StoreLog.WatchFeedFailed(logger, ClusterId, ex);
            TerminateAll(new WatchTerminatedException("reading the watch history failed; watch again", ex));
            StopPumping();
        }
    }

    private void StopPumping()
    {
        lock (_gate)
        {
            _pumping = false;
        }
    }
}
