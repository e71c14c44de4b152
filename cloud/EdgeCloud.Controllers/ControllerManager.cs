using System.Collections.Concurrent;
using EdgeCloud.Controllers.Informers;
using EdgeCloud.Controllers.Leadership;
using EdgeCloud.Controllers.Runtime;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Store;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Controllers;

/// <summary>
/// Runs every cluster's controllers in this process, for the clusters this replica leads
/// (<see cref="ClusterLeadership"/>). Per led cluster: one <see cref="ClusterCache"/> (one watch) and the control
/// loops from the factory; nothing else runs per cluster, and nothing at all while a cluster is idle.
/// </summary>
public sealed partial class ControllerManager : IAsyncDisposable
{
    private readonly ResourceStore _objects;
    private readonly TimeProvider _time;
    private readonly ControllerOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Func<IReadOnlyList<IClusterController>> _controllers;
    private readonly ClusterLeadership _leadership;
    private readonly ObjectWriter _writer;
    private readonly DeadlineTimer _timer;
    private readonly ConcurrentDictionary<string, byte> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClusterRun> _led = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _transitions = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _renewing = Task.CompletedTask;
    private Task _watchingReplicas = Task.CompletedTask;

    /// <summary>A manager for replica <paramref name="identity"/>; <paramref name="systemCluster"/> holds the liveness records.</summary>
    public ControllerManager(
        ResourceStore objects, TimeProvider time, ControllerOptions options, ILoggerFactory loggers,
        Func<IReadOnlyList<IClusterController>> controllers, string identity, string systemCluster)
    {
        options.Validate();
        _objects = objects;
        _time = time;
        _options = options;
        _loggers = loggers;
        _logger = loggers.CreateLogger<ControllerManager>();
        _controllers = controllers;
        _leadership = new ClusterLeadership(objects, time, identity, systemCluster);
        _writer = new ObjectWriter(objects, time);
        _timer = new DeadlineTimer(time);
    }

    /// <summary>This replica's identity (the holderIdentity of the Leases it holds).</summary>
    public string Identity => _leadership.Identity;

    /// <summary>The clusters whose controllers run here now.</summary>
    public IReadOnlyCollection<string> LedClusters => [.. _led.Keys];

    /// <summary>The cache of a led cluster (tests read it), or null.</summary>
    public ClusterCache? CacheOf(string cluster) => _led.TryGetValue(cluster, out var run) ? run.Context.Cache : null;

    /// <summary>Writes this replica's liveness record and starts renewing it and watching the other replicas'.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _objects.Store.CreateClusterAsync(_leadership.SystemCluster, cancellationToken);
        await _leadership.RenewAsync(_options.ReplicaLeaseDuration, cancellationToken);
        _renewing = Task.Run(() => RenewLoopAsync(_stop.Token), CancellationToken.None);
        _watchingReplicas = Task.Run(() => WatchReplicasAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Asks this replica to run <paramref name="cluster"/>'s controllers when it can lead it (now, or once its leader dies).</summary>
    public async Task AddClusterAsync(string cluster, CancellationToken cancellationToken)
    {
        _known[cluster] = 0;
        await TryLeadAsync(cluster, cancellationToken);
    }

    /// <summary>Stops <paramref name="cluster"/>'s controllers here and forgets it (the cluster was deleted).</summary>
    public async Task RemoveClusterAsync(string cluster)
    {
        _known.TryRemove(cluster, out _);
        if (_led.TryRemove(cluster, out var run))
        {
            await run.StopAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var task in new[] { _renewing, _watchingReplicas })
        {
            try
            {
                await task;
            }
            catch (OperationCanceledException)
            {
            }
        }

        foreach (var cluster in _led.Keys.ToList())
        {
            if (_led.TryRemove(cluster, out var run))
            {
                await run.StopAsync();
            }
        }

        try
        {
            // Let another replica take over at once rather than after the record's TTL.
            await _leadership.ResignAsync(CancellationToken.None);
        }
        catch (Exception error) when (error is StoreException or ObjectDisposedException or InvalidOperationException)
        {
        }

        _timer.Dispose();
        _stop.Dispose();
    }

    private async Task TryLeadAsync(string cluster, CancellationToken cancellationToken)
    {
        await _transitions.WaitAsync(cancellationToken);
        try
        {
            if (_led.ContainsKey(cluster) || !_known.ContainsKey(cluster) || _stop.IsCancellationRequested)
            {
                return;
            }

            if (!await _leadership.TryAcquireAsync(cluster, cancellationToken))
            {
                return;
            }

            var run = await ClusterRun.StartAsync(cluster, _objects, _writer, _timer, _time, _options, _loggers, _controllers(), cancellationToken);
            _led[cluster] = run;
            LogLeading(_logger, cluster, Identity);
        }
        finally
        {
            _transitions.Release();
        }
    }

    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        var lastRenewed = _time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_options.ReplicaRenewInterval, _time, cancellationToken);
            try
            {
                await _leadership.RenewAsync(_options.ReplicaLeaseDuration, cancellationToken);
                lastRenewed = _time.GetUtcNow();
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogRenewFailed(_logger, error);
                if (_time.GetUtcNow() - lastRenewed >= _options.ReplicaLeaseDuration)
                {
                    // Others may lead our clusters by now: stop, and try again once the store answers.
                    await StepDownAsync();
                }
            }
        }
    }

    private async Task StepDownAsync()
    {
        foreach (var cluster in _led.Keys.ToList())
        {
            if (_led.TryRemove(cluster, out var run))
            {
                await run.StopAsync();
            }
        }
    }

    private async Task WatchReplicasAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var watch = await _objects.Store.WatchAsync(_leadership.SystemCluster, ClusterLeadership.ReplicaPrefix, 0, cancellationToken);
                await foreach (var change in watch.ReadAllAsync(cancellationToken))
                {
                    if (change.Type != Store.WatchEventType.Deleted)
                    {
                        continue;
                    }

                    if (change.Key == ClusterLeadership.ReplicaPrefix + Identity)
                    {
                        // Our own record expired (a long pause): whoever took over leads now; start again.
                        await StepDownAsync();
                        await _leadership.RenewAsync(_options.ReplicaLeaseDuration, cancellationToken);
                    }

                    foreach (var cluster in _known.Keys.Where(c => !_led.ContainsKey(c)))
                    {
                        await TryLeadAsync(cluster, cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Whatever failed (store down, a takeover that threw), keep watching: a replica that stops watching
                // would never take over a dead replica's clusters.
                LogRenewFailed(_logger, error);
                await Task.Delay(_options.ReplicaRenewInterval, _time, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "replica {Identity} runs the controllers of cluster {Cluster}")]
    private static partial void LogLeading(ILogger logger, string cluster, string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "controller replica liveness: store unavailable; retrying")]
    private static partial void LogRenewFailed(ILogger logger, Exception error);
}
