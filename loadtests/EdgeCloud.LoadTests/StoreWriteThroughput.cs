using EdgeCloud.Store;

namespace EdgeCloud.LoadTests;

/// <summary>
/// Writes per second through the store, N writers against ONE cluster: its revision is a serialization point,
/// which makes one busy cluster the hard case. Each writer is a task doing one awaited write after another.
/// </summary>
internal static class StoreWriteThroughput
{
    public static async Task<RateSample> MeasureAsync(
        RevisionedStore store,
        WriteWorkload workload,
        int writers,
        StoreBenchSettings settings,
        CancellationToken cancellationToken)
    {
        var cluster = $"{(workload == WriteWorkload.Creates ? "creates" : "updates")}-{writers}";
        await store.CreateClusterAsync(cluster, cancellationToken);
        return workload == WriteWorkload.Creates
            ? await MeasureCreatesAsync(store, cluster, writers, settings, cancellationToken)
            : await MeasureUpdatesAsync(store, cluster, writers, settings, cancellationToken);
    }

    private static Task<RateSample> MeasureCreatesAsync(RevisionedStore store, string cluster, int writers, StoreBenchSettings settings, CancellationToken cancellationToken) =>
        TimedRun.MeasureAsync(writers, async (w, gate) =>
        {
            var value = BenchValues.Create(settings.ValueBytes);
            for (long seq = 0; !gate.Stopping; seq++)
            {
                BenchValues.Stamp(value, seq);
                var result = await store.CreateAsync(cluster, $"/registry/pods/bench/w{w:D2}-{seq:D9}", value, null, cancellationToken);
                Count(gate, result, WriteStatus.AlreadyExists);
            }
        }, settings.Warmup, settings.Point, cancellationToken);

    private static async Task<RateSample> MeasureUpdatesAsync(RevisionedStore store, string cluster, int writers, StoreBenchSettings settings, CancellationToken cancellationToken)
    {
        // Each writer owns its keys, created beforehand (not timed). It keeps the mod revision of its last
        // successful write of each key, as a controller keeps what its informer cache last saw, and sends that
        // as the expected revision: a CAS update that must be applied.
        var keys = new string[writers][];
        var revisions = new long[writers][];
        var initial = BenchValues.Create(settings.ValueBytes);
        await Parallel.ForAsync(0, writers, cancellationToken, async (w, ct) =>
        {
            keys[w] = new string[settings.KeysPerUpdateWriter];
            revisions[w] = new long[settings.KeysPerUpdateWriter];
            for (var i = 0; i < settings.KeysPerUpdateWriter; i++)
            {
                keys[w][i] = $"/registry/leases/bench/w{w:D2}-{i:D3}";
                var created = await store.CreateAsync(cluster, keys[w][i], initial, null, ct);
                revisions[w][i] = created.Item?.ModRevision ?? throw new InvalidOperationException($"creating {keys[w][i]} returned {created.Status}");
            }
        });

        return await TimedRun.MeasureAsync(writers, async (w, gate) =>
        {
            var value = BenchValues.Create(settings.ValueBytes);
            var mine = keys[w];
            var seen = revisions[w];
            for (long n = 0; !gate.Stopping; n++)
            {
                var i = (int)(n % mine.Length);
                BenchValues.Stamp(value, n);
                var result = await store.UpdateAsync(cluster, mine[i], value, seen[i], null, cancellationToken);
                Count(gate, result, WriteStatus.Conflict);
                seen[i] = result.Item?.ModRevision ?? seen[i];
            }
        }, settings.Warmup, settings.Point, cancellationToken);
    }

    private static void Count(WorkerGate gate, WriteResult result, WriteStatus tolerated)
    {
        if (result.Status == WriteStatus.Applied)
        {
            gate.Counted();
        }
        else if (result.Status == tolerated)
        {
            gate.Rejected();
        }
        else
        {
            throw new InvalidOperationException($"unexpected write status {result.Status} at revision {result.Revision}");
        }
    }
}
