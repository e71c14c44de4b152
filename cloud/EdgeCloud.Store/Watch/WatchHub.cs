using Microsoft.Extensions.Logging;

namespace EdgeCloud.Store.Watch;

/// <summary>The watches of every cluster in this process: one <see cref="ClusterWatchFeed"/> per watched cluster.</summary>
internal sealed class WatchHub(IStoreBackend backend, RevisionedStoreOptions options, ILogger logger) : IDisposable
{
    private const int CatchUpPageSize = 1_000;

    private readonly Dictionary<string, ClusterWatchFeed> _feeds = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();

    public async Task<StoreWatch> WatchAsync(string clusterId, string prefix, long afterRevision, CancellationToken cancellationToken)
    {
        var feed = Acquire(clusterId);
        StoreWatch? watch = null;
        try
        {
            await feed.InitializeAsync().WaitAsync(cancellationToken);
            (watch, var catchUpTo) = feed.Add(prefix, afterRevision, options.WatchBufferEvents, w => Release(feed, w));
            if (watch.IsCatchingUp)
            {
                // The first page is read before returning, so that a compacted start revision is reported to the caller.
                var first = await ReadHistoryAsync(clusterId, watch.StartRevision, cancellationToken);
                if (first.CompactRevision > watch.StartRevision)
                {
                    throw new RevisionCompactedException(watch.StartRevision, first.CompactRevision);
                }

                _ = CatchUpAsync(feed, watch, first, catchUpTo);
            }

            return watch;
        }
        catch (Exception ex)
        {
            if (watch is not null)
            {
                feed.Remove(watch);
                watch.Terminate(ex);
            }

            ReleaseReference(feed);
            throw;
        }
    }

    /// <summary>A cluster committed writes up to <paramref name="revision"/> (0: unknown).</summary>
    public void Signal(string clusterId, long revision)
    {
        ClusterWatchFeed? feed;
        lock (_feeds)
        {
            _feeds.TryGetValue(clusterId, out feed);
        }

        feed?.Signal(revision);
    }

    /// <summary>Notices may have been lost: every feed re-reads its cluster's history.</summary>
    public void SignalAll()
    {
        ClusterWatchFeed[] feeds;
        lock (_feeds)
        {
            feeds = [.. _feeds.Values];
        }

        foreach (var feed in feeds)
        {
            feed.Signal(0);
        }
    }

    /// <summary>Ends every watch of a cluster, e.g. when the cluster is deleted.</summary>
    public void TerminateCluster(string clusterId, string reason)
    {
        ClusterWatchFeed? feed;
        lock (_feeds)
        {
            _feeds.TryGetValue(clusterId, out feed);
        }

        feed?.TerminateAll(new WatchTerminatedException(reason));
    }

    public void Dispose()
    {
        _shutdown.Cancel();
        ClusterWatchFeed[] feeds;
        lock (_feeds)
        {
            feeds = [.. _feeds.Values];
        }

        foreach (var feed in feeds)
        {
            feed.TerminateAll(new WatchTerminatedException("the store is shutting down"));
        }

        _shutdown.Dispose();
    }

    private async Task<LogPage> ReadHistoryAsync(string clusterId, long afterRevision, CancellationToken cancellationToken) =>
        await backend.ReadLogAsync(clusterId, afterRevision, CatchUpPageSize, cancellationToken)
        ?? throw new ClusterNotFoundException(clusterId);

    private async Task CatchUpAsync(ClusterWatchFeed feed, StoreWatch watch, LogPage page, long catchUpTo)
    {
        try
        {
            while (true)
            {
                if (page.CompactRevision > watch.Cursor)
                {
                    watch.Terminate(new WatchTerminatedException("watch history was compacted during catch-up",
                        new RevisionCompactedException(watch.Cursor, page.CompactRevision)));
                    return;
                }

                foreach (var change in page.Events)
                {
                    if (change.Revision > catchUpTo)
                    {
                        break;
                    }

                    if (!await watch.DeliverCatchUpAsync(change, _shutdown.Token))
                    {
                        return;
                    }
                }

                var last = page.Events.Count == 0 ? catchUpTo : page.Events[^1].Revision;
                if (watch.IsTerminated || last >= catchUpTo || page.Events.Count < CatchUpPageSize)
                {
                    break;
                }

                page = await ReadHistoryAsync(feed.ClusterId, last, _shutdown.Token);
            }

            feed.FinishCatchUp(watch);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_shutdown.IsCancellationRequested)
        {
            StoreLog.WatchCatchUpFailed(logger, feed.ClusterId, ex);
            watch.Terminate(new WatchTerminatedException("reading the watch history failed; watch again", ex));
        }
        catch (OperationCanceledException)
        {
            watch.Terminate(new WatchTerminatedException("the store is shutting down"));
        }
    }

    private ClusterWatchFeed Acquire(string clusterId)
    {
        lock (_feeds)
        {
            if (!_feeds.TryGetValue(clusterId, out var feed))
            {
                feed = new ClusterWatchFeed(clusterId, backend, logger, _shutdown.Token);
                _feeds.Add(clusterId, feed);
            }

            feed.References++;
            return feed;
        }
    }

    private void Release(ClusterWatchFeed feed, StoreWatch watch)
    {
        feed.Remove(watch);
        ReleaseReference(feed);
    }

    private void ReleaseReference(ClusterWatchFeed feed)
    {
        lock (_feeds)
        {
            if (--feed.References == 0)
            {
                _feeds.Remove(feed.ClusterId);
            }
        }
    }
}
