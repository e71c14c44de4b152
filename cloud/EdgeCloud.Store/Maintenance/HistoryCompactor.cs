using Microsoft.Extensions.Logging;

namespace EdgeCloud.Store.Maintenance;

/// <summary>
/// Keeps each cluster's history within <see cref="RevisionedStoreOptions.HistoryRevisions"/> and
/// <see cref="RevisionedStoreOptions.HistoryAge"/>. One timer for the whole process, not one per cluster.
/// Each pass first moves the cluster's compact mark (so readers get "compacted" instead of partial history),
/// then deletes history in chunks of <see cref="RevisionedStoreOptions.CompactionChunkRows"/>, each in its own
/// short transaction that touches only history rows: writers never wait on it for more than one chunk.
/// Unlike kine, no step has a deadline that a slow batch can miss forever: a pass resumes where the last stopped.
/// </summary>
internal sealed class HistoryCompactor(IStoreBackend backend, RevisionedStoreOptions options, ILogger logger)
{
    /// <summary>Runs passes every <see cref="RevisionedStoreOptions.CompactionInterval"/> until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.CompactionInterval, options.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await CompactOnceAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    StoreLog.CompactionFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass over every cluster with history beyond the bounds; returns the history rows removed.</summary>
    public async Task<long> CompactOnceAsync(CancellationToken cancellationToken)
    {
        var cutoffMs = options.TimeProvider.GetUtcNow().Subtract(options.HistoryAge).ToUnixTimeMilliseconds();
        var candidates = await backend.FindCompactionCandidatesAsync(options.HistoryRevisions, cutoffMs, cancellationToken);
        long removed = 0;
        foreach (var candidate in candidates)
        {
            var target = await TargetRevisionAsync(candidate, cutoffMs, cancellationToken);
            if (target <= candidate.CompactRevision)
            {
                continue;
            }

            var from = await backend.MarkCompactedAsync(candidate.ClusterId, target, cancellationToken);
            long clusterRemoved = 0;
            while (from < target)
            {
                var to = Math.Min(target, from + options.CompactionChunkRows);
                clusterRemoved += await backend.DeleteHistoryAsync(candidate.ClusterId, from, to, cancellationToken);
                from = to;
            }

            removed += clusterRemoved;
            StoreLog.Compacted(logger, candidate.ClusterId, target, clusterRemoved);
        }

        if (removed > 0)
        {
            await backend.ReclaimSpaceAsync(cancellationToken);
        }

        return removed;
    }

    /// <summary>The stricter of the two bounds: at most HistoryRevisions behind the head, and nothing older than HistoryAge.</summary>
    private async Task<long> TargetRevisionAsync(CompactionCandidate candidate, long cutoffMs, CancellationToken cancellationToken)
    {
        var target = candidate.Revision - options.HistoryRevisions;
        if (candidate.OldestHistoryMs is { } oldest && oldest < cutoffMs)
        {
            var aged = await backend.NewestRevisionBeforeAsync(candidate.ClusterId, candidate.CompactRevision, cutoffMs, cancellationToken);
            target = Math.Max(target, aged ?? 0);
        }

        return Math.Min(target, candidate.Revision);
    }
}
