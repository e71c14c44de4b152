using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace EdgeCloud.LoadTests;

/// <summary>
/// Runs N workers for a warm-up and then a measured window, and counts what they completed in the window only.
/// A worker loops until <see cref="WorkerGate.Stopping"/>; a worker that throws fails the run at once.
/// </summary>
internal static class TimedRun
{
    /// <summary>How long workers may take to return after the window; longer means a store call hangs.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    public static async Task<RateSample> MeasureAsync(
        int workers,
        Func<int, WorkerGate, Task> worker,
        TimeSpan warmup,
        TimeSpan duration,
        CancellationToken cancellationToken)
    {
        var gate = new WorkerGate();
        var tasks = new Task[workers];
        for (var w = 0; w < workers; w++)
        {
            var index = w;
            tasks[w] = Task.Run(() => worker(index, gate), CancellationToken.None);
        }

        var all = Task.WhenAll(tasks);
        RateSample? sample = null;
        Exception? failure = null;
        try
        {
            await WhileRunningAsync(all, warmup, cancellationToken);
            var operations0 = gate.Operations;
            var refused0 = gate.Refused;
            var started = Stopwatch.GetTimestamp();
            await WhileRunningAsync(all, duration, cancellationToken);
            sample = new RateSample
            {
                Operations = gate.Operations - operations0,
                Refused = gate.Refused - refused0,
                Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds,
            };
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        // Whatever happened, stop the workers and wait for them: none may outlive the run.
        gate.Stop();
        var stopped = await Task.WhenAny(all, Task.Delay(StopTimeout, CancellationToken.None)) == all;
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        if (!stopped)
        {
            throw new TimeoutException($"{tasks.Count(static t => !t.IsCompleted)} of {workers} workers did not return within {StopTimeout.TotalSeconds:0} s after the run ended: a store call hangs");
        }

        await all;
        return sample!;
    }

    /// <summary>Waits for <paramref name="duration"/>, but throws at once if the workers fail or return early.</summary>
    private static async Task WhileRunningAsync(Task all, TimeSpan duration, CancellationToken cancellationToken)
    {
        var finished = await Task.WhenAny(all, Task.Delay(duration, cancellationToken));
        if (finished == all)
        {
            await all;
            throw new InvalidOperationException("the workers returned before the run ended");
        }

        await finished;
    }
}
