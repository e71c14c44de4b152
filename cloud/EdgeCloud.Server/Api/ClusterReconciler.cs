using System.Threading.Channels;

namespace EdgeCloud.Server.Api;

/// <summary>
/// A background loop that reconciles one cluster at a time on request, as Kubernetes controllers work off a
/// queue: <see cref="Notify"/> enqueues a cluster, a pass that leaves work behind (or fails) is requeued after
/// <see cref="RetryInterval"/>, and a cluster that no longer exists is dropped.
/// </summary>
internal abstract partial class ClusterReconciler(TimeProvider time, ILogger logger) : BackgroundService
{
    private readonly Channel<string> _clusters = Channel.CreateUnbounded<string>();

    // Clusters queued and not yet picked up: a burst of notifications (a deletecollection, a namespace emptied)
    // costs one pass, not one per notification.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _queued = new(StringComparer.Ordinal);

    /// <summary>The clock (injected; tests drive it).</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>How soon a cluster whose pass left work behind is looked at again.</summary>
    protected abstract TimeSpan RetryInterval { get; }

    /// <summary>Asks for a pass over <paramref name="cluster"/>.</summary>
    public void Notify(string cluster)
    {
        if (_queued.TryAdd(cluster, 0))
        {
            _clusters.Writer.TryWrite(cluster);
        }
    }

    /// <summary>One pass over <paramref name="cluster"/>; true when something is still waiting.</summary>
    protected abstract Task<bool> ReconcileAsync(string cluster, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var cluster in _clusters.Reader.ReadAllAsync(stoppingToken))
        {
            // Taken off before the pass, so that a change during the pass queues another one.
            _queued.TryRemove(cluster, out _);
            try
            {
                if (await ReconcileAsync(cluster, stoppingToken))
                {
                    _ = RetryLaterAsync(cluster, stoppingToken);
                }
            }
            catch (EdgeCloud.Store.ClusterNotFoundException)
            {
                // The cluster is gone, and everything in it.
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogFailed(logger, GetType().Name, cluster, error);
                _ = RetryLaterAsync(cluster, stoppingToken);
            }
        }
    }

    private async Task RetryLaterAsync(string cluster, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(RetryInterval, Time, cancellationToken);
            Notify(cluster);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reconciler} pass over cluster {Cluster} failed; retrying")]
    private static partial void LogFailed(ILogger logger, string reconciler, string cluster, Exception error);
}
