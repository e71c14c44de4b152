using EdgeCloud.Controllers.Informers;
using EdgeCloud.Controllers.Runtime;
using EdgeCloud.Kube.Storage;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Controllers;

/// <summary>The controllers of one led cluster: their cache, their context, and how they stop.</summary>
internal sealed class ClusterRun
{
    private readonly CancellationTokenSource _stop;

    private ClusterRun(ClusterContext context, CancellationTokenSource stop)
    {
        Context = context;
        _stop = stop;
    }

    public ClusterContext Context { get; }

    public static async Task<ClusterRun> StartAsync(
        string cluster, ResourceStore objects, ObjectWriter writer, DeadlineTimer timer, TimeProvider time, ControllerOptions options,
        ILoggerFactory loggers, IReadOnlyList<IClusterController> controllers, CancellationToken cancellationToken)
    {
        var kinds = controllers.SelectMany(static c => c.Watches).DistinctBy(static k => ObjectKeys.Prefix(k, null));
        var cache = new ClusterCache(objects, cluster, kinds, loggers.CreateLogger<ClusterCache>());
        var stop = new CancellationTokenSource();
        var context = new ClusterContext
        {
            Cluster = cluster,
            Cache = cache,
            Objects = objects,
            Writer = writer,
            Timer = timer,
            Time = time,
            Options = options,
            Loggers = loggers,
            Stopping = stop.Token,
        };
        foreach (var controller in controllers)
        {
            controller.Attach(context);
        }

        try
        {
            await cache.StartAsync(cancellationToken);
        }
        catch
        {
            await stop.CancelAsync();
            await cache.DisposeAsync();
            stop.Dispose();
            throw;
        }

        foreach (var controller in controllers)
        {
            controller.Synced();
        }

        return new ClusterRun(context, stop);
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Context.Cache.DisposeAsync();
        _stop.Dispose();
    }
}
