namespace EdgeCloud.LoadTests;

/// <summary>Shared by the workers of one timed run: tells them when to stop and counts what they did.</summary>
internal sealed class WorkerGate
{
    private long _operations;
    private long _refused;
    private volatile bool _stopping;

    /// <summary>Set when the measured window is over; workers finish their current operation and return.</summary>
    public bool Stopping => _stopping;

    public long Operations => Interlocked.Read(ref _operations);

    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>One operation succeeded.</summary>
    public void Counted() => Interlocked.Increment(ref _operations);

    /// <summary>One operation was refused (not counted).</summary>
    public void Rejected() => Interlocked.Increment(ref _refused);

    public void Stop() => _stopping = true;
}
