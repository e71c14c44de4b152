using EdgeCloud.Store;

namespace EdgeCloud.LoadTests;

/// <summary>
/// Watch delivery latency in one process: a paced writer updates keys with its send time in the value, and a
/// watcher on the same store instance measures now minus that time for each event.
/// </summary>
internal static class WatchLatency
{
    public const string Prefix = "/registry/leases/watch/";

    /// <summary>How long the watcher may lag behind the writer's last acknowledged write before events count as lost.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    public static async Task<WatchResult> MeasureInProcessAsync(RevisionedStore store, StoreBenchSettings settings, CancellationToken cancellationToken)
    {
        const string Cluster = "watch-local";
        var keys = await PrepareAsync(store, Cluster, settings, cancellationToken);
        var collector = new WatchLatencyCollector();
        var watch = await store.WatchAsync(Cluster, Prefix, 0, cancellationToken);
        var reading = Task.Run(() => collector.RunAsync(watch, cancellationToken), CancellationToken.None);
        PacedWriteResult sent;
        try
        {
            sent = await PacedUpdateWriter.RunAsync(store, Cluster, keys, settings, cancellationToken);
            await collector.WaitForAsync(sent.Measured, DrainTimeout, reading, cancellationToken);
        }
        finally
        {
            await watch.DisposeAsync();
        }

        string? error = null;
        try
        {
            await reading;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = $"the watch ended with {ex.GetType().Name}: {ex.Message}";
        }

        return Result("in-process", settings, sent, collector.Received, LatencySummary.FromTicks(collector.Latencies), error);
    }

    /// <summary>Creates the cluster and the keys the writer updates (before any watch starts).</summary>
    public static async Task<IReadOnlyList<string>> PrepareAsync(RevisionedStore store, string cluster, StoreBenchSettings settings, CancellationToken cancellationToken)
    {
        await store.CreateClusterAsync(cluster, cancellationToken);
        var keys = Enumerable.Range(0, settings.WatchKeys).Select(static i => $"{Prefix}node-{i:D4}").ToArray();
        var value = BenchValues.Create(settings.ValueBytes);
        foreach (var key in keys)
        {
            await store.CreateAsync(cluster, key, value, null, cancellationToken);
        }

        return keys;
    }

    public static WatchResult Result(string mode, StoreBenchSettings settings, PacedWriteResult sent, long received, LatencySummary? delivery, string? error)
    {
        if (error is null && received < sent.Measured)
        {
            error = $"the watcher received {received:N0} of {sent.Measured:N0} measured events within {DrainTimeout.TotalSeconds:0} s of the last write";
        }

        return new WatchResult
        {
            Mode = mode,
            RatePerSecond = settings.WatchRatePerSecond,
            AchievedPerSecond = sent.MeasuredSeconds > 0 ? sent.Measured / sent.MeasuredSeconds : 0,
            Sent = sent.Measured,
            Received = received,
            Delivery = delivery,
            WriteAck = LatencySummary.FromTicks(sent.AckTicks),
            Error = error,
        };
    }
}
