using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgeCloud.LoadTests.Api;

/// <summary>Runs operations from several concurrent clients and records each one's latency.</summary>
internal static class ConcurrentRunner
{
    /// <summary>
    /// Runs <paramref name="count"/> operations (index 0..count-1) spread over <paramref name="clients"/> tasks;
    /// each client takes the next index until none is left.
    /// </summary>
    public static async Task<OperationResult> RunAsync(string operation, int clients, int count, Func<int, int, CancellationToken, Task> run, CancellationToken cancellationToken)
    {
        var next = -1;
        var latencies = new ConcurrentBag<long>();
        var total = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                await run(client, index, cancellationToken);
                latencies.Add(Stopwatch.GetTimestamp() - started);
            }
        }, cancellationToken));
        await Task.WhenAll(workers);
        total.Stop();
        return new OperationResult
        {
            Operation = operation,
            Clients = clients,
            Count = count,
            Seconds = total.Elapsed.TotalSeconds,
            Latency = LatencySummary.FromTicks([.. latencies])!,
        };
    }
}
