using Microsoft.Extensions.Logging;

namespace EdgeCloud.Store.Maintenance;

/// <summary>
/// Deletes keys whose TTL has passed, through the ordinary compare-and-swap delete so that watchers see
/// a Deleted event (etcd's lease expiry does the same). One loop for the whole process: it sleeps until
/// the earliest expiry, and is woken early when a write sets an earlier one.
/// </summary>
internal sealed class ExpirySweeper(
    IStoreBackend backend,
    Func<string, string, long, Task> deleteIfUnchanged,
    RevisionedStoreOptions options,
    ILogger logger)
{
    private const int SweepBatch = 500;

    private readonly object _gate = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sleepingUntilMs = long.MaxValue;

    /// <summary>A write set an expiry; wakes the loop if it sleeps past that time.</summary>
    public void ExpiryWritten(long expiresAtMs)
    {
        lock (_gate)
        {
            if (expiresAtMs < _sleepingUntilMs)
            {
                _sleepingUntilMs = expiresAtMs;
                _wake.TrySetResult();
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var time = options.TimeProvider;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                Task wake;
                lock (_gate)
                {
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    // Until the loop sleeps, any expiry written wakes it: the read below may have missed that write.
                    _sleepingUntilMs = long.MaxValue;
                    wake = _wake.Task;
                }

                var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
                var expired = await backend.FindExpiredAsync(nowMs, SweepBatch, cancellationToken);
                foreach (var (clusterId, key, modRevision) in expired)
                {
                    await deleteIfUnchanged(clusterId, key, modRevision);
                }

                if (expired.Count > 0)
                {
                    StoreLog.ExpiredKeys(logger, expired.Count);
                }

                if (expired.Count == SweepBatch)
                {
                    continue;
                }

                var next = await backend.NextExpiryAsync(cancellationToken);
                var maxSleepMs = (long)options.ExpirySweepMaxInterval.TotalMilliseconds;
                var untilMs = Math.Min(next ?? long.MaxValue, nowMs + maxSleepMs);
                lock (_gate)
                {
                    _sleepingUntilMs = untilMs;
                }

                await SleepUntilAsync(untilMs, wake, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                StoreLog.ExpirySweepFailed(logger, ex);
                await SleepUntilAsync(time.GetUtcNow().ToUnixTimeMilliseconds() + 1_000, Task.Delay(Timeout.Infinite, cancellationToken), cancellationToken)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task SleepUntilAsync(long untilMs, Task wake, CancellationToken cancellationToken)
    {
        var time = options.TimeProvider;
        using var sleep = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = TimeSpan.FromMilliseconds(Math.Max(0, untilMs - time.GetUtcNow().ToUnixTimeMilliseconds()));
        var timer = Task.Delay(delay, time, sleep.Token);
        try
        {
            // The clock may have moved between computing the delay and arming the timer (tests drive it by hand).
            if (time.GetUtcNow().ToUnixTimeMilliseconds() < untilMs)
            {
                await Task.WhenAny(timer, wake);
            }
        }
        finally
        {
            sleep.Cancel();
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
