namespace EdgeCloud.LoadTests;

/// <summary>
/// Waits until the server's CPU use falls quiet between phases. After a burst of requests the runtime recompiles
/// the hot methods in the background (tiered compilation with dynamic PGO); on a 2-core machine that takes
/// seconds of CPU, and a phase started at once would pay for the one before it.
/// </summary>
internal static class ServerSettling
{
    /// <summary>Length of one measurement window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait before a phase starts anyway.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Quiet: two windows in a row under this many cores (the fleet's Lease renewals alone use about a tenth of
    /// one core at 1,000 nodes).
    /// </summary>
    public const double QuietCores = 0.2;

    /// <summary>Returns how long it waited and the server's CPU use, in cores, over the last window.</summary>
    public static async Task<(TimeSpan Waited, double Cores)> WaitUntilQuietAsync(EdgeCloudProcess server, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var quietWindows = 0;
        var cores = 0.0;
        while (quietWindows < 2 && time.GetElapsedTime(started) < Limit)
        {
            var before = server.CpuTime;
            var windowStart = time.GetTimestamp();
            await Task.Delay(Window, time, cancellationToken);
            cores = (server.CpuTime - before) / time.GetElapsedTime(windowStart);
            quietWindows = cores < QuietCores ? quietWindows + 1 : 0;
        }

        return (time.GetElapsedTime(started), cores);
    }
}
