using System.Diagnostics;
using EdgeCloud.Store;

namespace EdgeCloud.LoadTests;

/// <summary>
/// Updates keys at a steady rate, each value stamped with its send time (<see cref="WatchProbe"/>). Writes are
/// sent on schedule without waiting for the previous one to commit (at most <see cref="MaxInFlight"/> at a time),
/// so the rate holds even when a commit takes longer than the interval; the latency a watcher measures thus
/// includes the commit, as a client of the API would see it.
/// </summary>
internal static class PacedUpdateWriter
{
    private const int MaxInFlight = 64;

    public static async Task<PacedWriteResult> RunAsync(
        RevisionedStore store,
        string cluster,
        IReadOnlyList<string> keys,
        StoreBenchSettings settings,
        CancellationToken cancellationToken)
    {
        var rate = settings.WatchRatePerSecond;
        var warmupCount = (long)(settings.WarmupSeconds * rate);
        var total = warmupCount + (long)(settings.WatchSeconds * rate);
        var interval = (double)Stopwatch.Frequency / rate;
        using var inFlight = new SemaphoreSlim(MaxInFlight, MaxInFlight);
        var acks = new List<long>((int)(total - warmupCount));
        var sends = new List<Task>((int)total);
        var start = Stopwatch.GetTimestamp();
        long measuredStart = 0;
        for (long i = 0; i < total; i++)
        {
            var due = start + (long)(i * interval);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken);
            }

            await inFlight.WaitAsync(cancellationToken);
            var measured = i >= warmupCount;
            if (i == warmupCount)
            {
                measuredStart = Stopwatch.GetTimestamp();
            }

            sends.Add(SendAsync(keys[(int)(i % keys.Count)], measured));
        }

        // The window the measured writes were sent in: first measured send to one interval after the last.
        var sendingSeconds = (Stopwatch.GetTimestamp() - measuredStart + interval) / Stopwatch.Frequency;

        await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return new PacedWriteResult
        {
            Measured = total - warmupCount,
            AckTicks = acks,
            MeasuredSeconds = sendingSeconds,
        };

        async Task SendAsync(string key, bool measured)
        {
            try
            {
                var value = BenchValues.Create(settings.ValueBytes);
                var sent = Stopwatch.GetTimestamp();
                WatchProbe.Write(value, sent, measured);
                var result = await store.UpdateAsync(cluster, key, value, 0, null, cancellationToken);
                var acked = Stopwatch.GetTimestamp();
                if (result.Status != WriteStatus.Applied)
                {
                    throw new InvalidOperationException($"unconditional update of {key} returned {result.Status}");
                }

                if (measured)
                {
                    lock (acks)
                    {
                        acks.Add(acked - sent);
                    }
                }
            }
            finally
            {
                inFlight.Release();
            }
        }
    }
}
