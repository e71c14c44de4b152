using System.Diagnostics;
using EdgeCloud.Store;

namespace EdgeCloud.LoadTests;

/// <summary>Reads a watch and records, for each measured probe, the time from its send to now.</summary>
internal sealed class WatchLatencyCollector
{
    private readonly List<long> _latencies = [];
    private long _received;

    /// <summary>Measured events received so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>The latencies in Stopwatch ticks; read only after <see cref="RunAsync"/> has returned.</summary>
    public IReadOnlyList<long> Latencies => _latencies;

    /// <summary>Reads until the watch is disposed (returns) or terminated (throws).</summary>
    public async Task RunAsync(StoreWatch watch, CancellationToken cancellationToken)
    {
        await foreach (var change in watch.ReadAllAsync(cancellationToken))
        {
            var now = Stopwatch.GetTimestamp();
            if (WatchProbe.ReadMeasured(change.Value.Span) is { } sent)
            {
                _latencies.Add(now - sent);
                Interlocked.Increment(ref _received);
            }
        }
    }

    /// <summary>Waits until <paramref name="expected"/> measured events have arrived, or the timeout passes.</summary>
    public async Task WaitForAsync(long expected, TimeSpan timeout, Task reading, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Received < expected && Stopwatch.GetTimestamp() < deadline && !reading.IsCompleted)
        {
            await Task.Delay(10, cancellationToken);
        }
    }
}
