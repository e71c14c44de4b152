using System.Diagnostics;
using EdgeCloud.Store;

namespace EdgeCloud.LoadTests;

/// <summary>
/// List time and database size under churn. Loads 10,000 keys under prefix A (configmaps) and 1,000 under
/// prefix B (leases), times a full paginated list of A, then applies many CAS updates to the B keys (node
/// heartbeats) with the compactor running on its defaults, compacts once more, and times the list again.
/// The list must not slow down and the database must not grow with history beyond the retained window.
/// </summary>
internal static class ChurnScenario
{
    public const string Scenario = "churn";
    private const string Cluster = "churn";
    private const string ListPrefix = "/registry/configmaps/bench/";
    private const string LeasePrefix = "/registry/leases/";
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(15);

    public static async Task<ChurnResult> RunAsync(IBenchBackend backend, StoreBenchSettings settings, Action<string> progress, CancellationToken cancellationToken)
    {
        var options = new RevisionedStoreOptions { CompactionInterval = TimeSpan.FromSeconds(settings.CompactionIntervalSeconds) };
        progress($"churn store: HistoryRevisions = {options.HistoryRevisions:N0}, CompactionInterval = {options.CompactionInterval.TotalSeconds:0.#} s, HistoryAge = {options.HistoryAge}");
        await using var store = await backend.OpenStoreAsync(Scenario, options, cancellationToken);
        await store.CreateClusterAsync(Cluster, cancellationToken);

        var listKeys = Enumerable.Range(0, settings.ListKeys).Select(static i => $"{ListPrefix}cm-{i:D5}").ToArray();
        var leaseKeys = Enumerable.Range(0, settings.LeaseKeys).Select(static i => $"{LeasePrefix}node-{i:D4}").ToArray();
        var leaseRevisions = new long[leaseKeys.Length];
        await CreateAllAsync(store, listKeys, null, settings, cancellationToken);
        await CreateAllAsync(store, leaseKeys, leaseRevisions, settings, cancellationToken);

        var sizeBefore = await store.GetDatabaseSizeBytesAsync(cancellationToken);
        var (before, pages) = await TimeListsAsync(store, settings, cancellationToken);
        progress($"list of {settings.ListKeys:N0} keys before churn: median {LatencySummary.Median(before):0.0} ms ({pages} pages)");

        var (updates, conflicts, seconds) = await ChurnAsync(store, leaseKeys, leaseRevisions, settings, progress, cancellationToken);
        var removed = await store.CompactAsync(cancellationToken);
        var sizeAfter = await store.GetDatabaseSizeBytesAsync(cancellationToken);
        var (after, _) = await TimeListsAsync(store, settings, cancellationToken);
        var (liveKeys, liveBytes) = await LiveDataAsync(store, cancellationToken);
        var storage = await backend.DescribeStorageAsync(Scenario, cancellationToken);
        return new ChurnResult
        {
            HistoryRevisions = options.HistoryRevisions,
            CompactionIntervalSeconds = options.CompactionInterval.TotalSeconds,
            ListBeforeMs = LatencySummary.Median(before),
            ListBeforeRunsMs = before,
            ListAfterMs = LatencySummary.Median(after),
            ListAfterRunsMs = after,
            ListKeys = settings.ListKeys,
            ListPages = pages,
            Updates = updates,
            UpdateConflicts = conflicts,
            UpdateSeconds = seconds,
            FinalCompactionRemovedRows = removed,
            RevisionAfter = await store.GetRevisionAsync(Cluster, cancellationToken),
            LiveKeys = liveKeys,
            LiveDataBytes = liveBytes,
            SizeBeforeChurnBytes = sizeBefore,
            SizeAfterChurnBytes = sizeAfter,
            StorageAfterChurn = storage,
        };
    }

    private static async Task CreateAllAsync(RevisionedStore store, string[] keys, long[]? revisions, StoreBenchSettings settings, CancellationToken cancellationToken)
    {
        var value = BenchValues.Create(settings.ValueBytes);
        await Parallel.ForAsync(0, keys.Length, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var result = await store.CreateAsync(Cluster, keys[i], value, null, ct);
            if (result.Status != WriteStatus.Applied)
            {
                throw new InvalidOperationException($"creating {keys[i]} returned {result.Status}");
            }

            revisions?[i] = result.Item!.ModRevision;
        });
    }

    /// <summary>
    /// One untimed list to warm caches, then the timed runs, spaced apart so that one burst of background work
    /// (autovacuum, a checkpoint, a compaction pass) does not land on all of them. Returns each run's milliseconds
    /// and the page count.
    /// </summary>
    private static async Task<(List<double> RunsMs, int Pages)> TimeListsAsync(RevisionedStore store, StoreBenchSettings settings, CancellationToken cancellationToken)
    {
        var pages = await ListAllAsync(store, settings, cancellationToken);
        var runs = new List<double>(settings.ListRuns);
        for (var run = 0; run < settings.ListRuns; run++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(settings.ListSpacingMs), cancellationToken);
            var started = Stopwatch.GetTimestamp();
            await ListAllAsync(store, settings, cancellationToken);
            runs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return (runs, pages);
    }

    private static async Task<int> ListAllAsync(RevisionedStore store, StoreBenchSettings settings, CancellationToken cancellationToken)
    {
        string? next = null;
        var pages = 0;
        var items = 0;
        do
        {
            var page = await store.ListAsync(Cluster, new ListRequest { Prefix = ListPrefix, Limit = settings.ListPageSize, Continue = next }, cancellationToken);
            items += page.Items.Count;
            pages++;
            next = page.Continue;
        }
        while (next is not null);

        if (items != settings.ListKeys)
        {
            throw new InvalidOperationException($"the paginated list of {ListPrefix} returned {items:N0} items in {pages} pages; {settings.ListKeys:N0} keys exist");
        }

        return pages;
    }

    /// <summary>Heartbeat churn: each writer CAS-updates its own share of the lease keys until the total is applied.</summary>
    private static async Task<(long Updates, long Conflicts, double Seconds)> ChurnAsync(
        RevisionedStore store, string[] keys, long[] revisions, StoreBenchSettings settings, Action<string> progress, CancellationToken cancellationToken)
    {
        var writers = settings.ChurnWriters;
        long applied = 0;
        long conflicts = 0;
        var started = Stopwatch.GetTimestamp();
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var quota = settings.ChurnUpdates / writers + (w < settings.ChurnUpdates % writers ? 1 : 0);
            var mine = Enumerable.Range(0, keys.Length).Where(i => i % writers == w).ToArray();
            var value = BenchValues.Create(settings.ValueBytes);
            for (long done = 0, n = 0; done < quota; n++)
            {
                var i = mine[(int)(n % mine.Length)];
                BenchValues.Stamp(value, n);
                var result = await store.UpdateAsync(Cluster, keys[i], value, revisions[i], null, cancellationToken);
                switch (result.Status)
                {
                    case WriteStatus.Applied:
                        done++;
                        Interlocked.Increment(ref applied);
                        break;
                    case WriteStatus.Conflict:
                        Interlocked.Increment(ref conflicts);
                        break;
                    default:
                        throw new InvalidOperationException($"CAS update of {keys[i]} returned {result.Status}");
                }

                revisions[i] = result.Item?.ModRevision ?? revisions[i];
            }
        }, CancellationToken.None)).ToArray();

        var all = Task.WhenAll(tasks);
        while (await Task.WhenAny(all, Task.Delay(ProgressInterval, cancellationToken)) != all)
        {
            var so = Interlocked.Read(ref applied);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            progress($"churn: {so:N0} / {settings.ChurnUpdates:N0} updates ({so / elapsed:N0}/s), database {await store.GetDatabaseSizeBytesAsync(cancellationToken) / 1048576.0:N1} MiB");
        }

        await all;
        return (applied, conflicts, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static async Task<(long Keys, long Bytes)> LiveDataAsync(RevisionedStore store, CancellationToken cancellationToken)
    {
        long keys = 0;
        long bytes = 0;
        foreach (var prefix in new[] { ListPrefix, LeasePrefix })
        {
            string? next = null;
            do
            {
                var page = await store.ListAsync(Cluster, new ListRequest { Prefix = prefix, Limit = 1_000, Continue = next }, cancellationToken);
                foreach (var item in page.Items)
                {
                    keys++;
                    // Keys are ASCII: one byte per character.
                    bytes += item.Key.Length + item.Value.Length;
                }

                next = page.Continue;
            }
            while (next is not null);
        }

        return (keys, bytes);
    }
}
