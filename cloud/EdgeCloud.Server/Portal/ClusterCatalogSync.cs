using EdgeCloud.Store;
using EdgeCloud.Tenancy;

namespace EdgeCloud.Server.Portal;

/// <summary>
/// Keeps this replica's controllers in step with the cluster catalog (<see cref="ClusterCatalog.Prefix"/>): every
/// tenant cluster listed there is offered to the <see cref="Controllers.ControllerManager"/> (which runs its loops
/// where it wins the cluster's Lease), and a cluster leaving the catalog has its loops stopped and its agents'
/// tunnel sessions closed, on every replica, whichever one deleted it. Lists, then watches from the list's
/// revision; a compacted or failed watch lists again.
/// </summary>
internal sealed partial class ClusterCatalogSync(IRevisionedStore store, Controllers.ControllerManager controllers, Nodes.NodeTunnels tunnels, TimeProvider time, ILogger<ClusterCatalogSync> logger) : BackgroundService
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Hosted services start with the host, before the bootstrap creates the system cluster on a fresh
                // data directory; creating it is idempotent, so the first list never fails (with a logged stack
                // trace) for want of it.
                await store.CreateClusterAsync(SystemRecords.SystemCluster, stoppingToken);
                var revision = await ReconcileAsync(stoppingToken);
                await using var watch = await store.WatchAsync(SystemRecords.SystemCluster, ClusterCatalog.Prefix, revision, stoppingToken);
                await foreach (var change in watch.ReadAllAsync(stoppingToken))
                {
                    var cluster = change.Key[ClusterCatalog.Prefix.Length..];
                    if (change.Type == WatchEventType.Deleted)
                    {
                        await RemoveAsync(cluster);
                    }
                    else
                    {
                        await AddAsync(cluster, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                LogSyncFailed(logger, error);
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
            }
        }
    }

    /// <summary>Adds what the catalog lists and removes what it no longer does; returns the revision it read.</summary>
    private async Task<long> ReconcileAsync(CancellationToken cancellationToken)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        long revision = 0;
        await foreach (var page in store.PagesAsync(SystemRecords.SystemCluster, ClusterCatalog.Prefix, 1000, cancellationToken))
        {
            revision = page.Revision;
            listed.UnionWith(page.Items.Select(static item => item.Key[ClusterCatalog.Prefix.Length..]));
        }

        foreach (var gone in _known.Where(c => !listed.Contains(c)).ToList())
        {
            await RemoveAsync(gone);
        }

        foreach (var cluster in listed.Where(c => !_known.Contains(c)))
        {
            await AddAsync(cluster, cancellationToken);
        }

        return revision;
    }

    private async Task AddAsync(string cluster, CancellationToken cancellationToken)
    {
        if (_known.Add(cluster))
        {
            await controllers.AddClusterAsync(cluster, cancellationToken);
        }
    }

    private async Task RemoveAsync(string cluster)
    {
        _known.Remove(cluster);
        await controllers.RemoveClusterAsync(cluster);
        await tunnels.CloseClusterAsync(cluster);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster catalog watch failed; listing again")]
    private static partial void LogSyncFailed(ILogger logger, Exception error);
}
