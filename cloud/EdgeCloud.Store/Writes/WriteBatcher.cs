using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Store.Writes;

/// <summary>
/// Group commit: writes that arrive while a transaction is in flight wait in a queue and are applied together
/// in the next transaction, so many writers share one commit (and one fsync) instead of queueing on the
/// cluster's revision row one by one. Each queue drains in FIFO order; an idle queue has no task and no timer.
/// </summary>
internal sealed class WriteBatcher(
    Func<IReadOnlyList<WriteOperation>, CancellationToken, Task<IReadOnlyList<WriteOutcome>>> apply,
    Action<IReadOnlyList<WriteOperation>, IReadOnlyList<WriteOutcome>> committed,
    bool queuePerCluster,
    int maxBatch,
    ILogger logger)
{
    private readonly ConcurrentDictionary<string, WriteQueue> _queues = new(StringComparer.Ordinal);

    public Task<WriteOutcome> EnqueueAsync(WriteOperation operation)
    {
        var pending = new PendingWrite(operation);
        var queue = _queues.GetOrAdd(queuePerCluster ? operation.ClusterId : string.Empty, static _ => new WriteQueue());
        queue.Items.Enqueue(pending);
        if (queue.TryStartDraining())
        {
            _ = Task.Run(() => DrainAsync(queue));
        }

        return pending.Outcome;
    }

    private async Task DrainAsync(WriteQueue queue)
    {
        var batch = new List<PendingWrite>();
        while (true)
        {
            batch.Clear();
            while (batch.Count < maxBatch && queue.Items.TryDequeue(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count == 0)
            {
                queue.StopDraining();
                // A writer may have enqueued after the last TryDequeue but seen Draining still set.
                if (queue.Items.IsEmpty || !queue.TryStartDraining())
                {
                    return;
                }

                continue;
            }

            await ApplyAsync(batch);
        }
    }

    private async Task ApplyAsync(List<PendingWrite> batch)
    {
        var operations = batch.ConvertAll(static p => p.Operation);
        IReadOnlyList<WriteOutcome> outcomes;
        try
        {
            outcomes = await apply(operations, CancellationToken.None);
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            // Nothing of the batch was applied. Retry each write alone so that one poisoned write
            // (or a transient error) does not fail the writes that happened to share its transaction.
            StoreLog.BatchFailedRetryingSingly(logger, batch.Count, ex);
            foreach (var pending in batch)
            {
                await ApplyAsync([pending]);
            }

            return;
        }
        catch (Exception ex)
        {
            batch[0].Fail(ex);
            return;
        }

        // Committed: from here on nothing may send the batch back to the database.
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Complete(outcomes[i]);
        }

        try
        {
            committed(operations, outcomes);
        }
        catch (Exception ex)
        {
            StoreLog.CommitNotificationFailed(logger, ex);
        }
    }

    private sealed class WriteQueue
    {
        private int _draining;

        public ConcurrentQueue<PendingWrite> Items { get; } = new();

        public bool TryStartDraining() => Interlocked.CompareExchange(ref _draining, 1, 0) == 0;

        public void StopDraining() => Volatile.Write(ref _draining, 0);
    }
}
