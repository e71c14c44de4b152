using EdgeCloud.Controllers.Informers;
using EdgeCloud.Controllers.Runtime;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Controllers;

/// <summary>What each controller of one cluster gets: the cluster's cache, the writer, the shared timer and clock.</summary>
public sealed class ClusterContext
{
    /// <summary>The cluster.</summary>
    public required string Cluster { get; init; }

    /// <summary>The cluster's objects, kept current.</summary>
    public required ClusterCache Cache { get; init; }

    /// <summary>The cluster's objects in the store, for the few reads the cache does not hold (settings).</summary>
    public required Kube.Storage.ResourceStore Objects { get; init; }

    /// <summary>Writes with admission, applied to <see cref="Cache"/> at once.</summary>
    public required ObjectWriter Writer { get; init; }

    /// <summary>The process-wide timer for deadlines.</summary>
    public required DeadlineTimer Timer { get; init; }

    /// <summary>The clock.</summary>
    public required TimeProvider Time { get; init; }

    /// <summary>Settings.</summary>
    public required ControllerOptions Options { get; init; }

    /// <summary>Where controllers log.</summary>
    public required ILoggerFactory Loggers { get; init; }

    /// <summary>Cancelled when the cluster's controllers stop (leadership lost, cluster deleted, shutdown).</summary>
    public required CancellationToken Stopping { get; init; }

    /// <summary>A work queue of this cluster, processed by <paramref name="process"/>.</summary>
    public WorkQueue<string> Queue(string name, Func<string, CancellationToken, Task> process, int workers = 1) =>
        new($"{name}[{Cluster}]", process, Timer, Loggers.CreateLogger("EdgeCloud.Controllers." + name), Stopping, workers);
}
