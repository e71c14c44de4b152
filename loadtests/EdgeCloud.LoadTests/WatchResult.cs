namespace EdgeCloud.LoadTests;

/// <summary>Watch delivery latency: send (before the write call) to the watcher reading the event.</summary>
internal sealed record WatchResult
{
    /// <summary>"in-process" or "cross-process".</summary>
    public required string Mode { get; init; }

    public required int RatePerSecond { get; init; }

    /// <summary>Rate the writer actually achieved in the measured window.</summary>
    public double AchievedPerSecond { get; init; }

    /// <summary>Measured writes sent (and acknowledged).</summary>
    public long Sent { get; init; }

    /// <summary>Measured events the watcher received; less than <see cref="Sent"/> means lost events.</summary>
    public long Received { get; init; }

    /// <summary>Send to watcher, per event.</summary>
    public LatencySummary? Delivery { get; init; }

    /// <summary>Send to the write being acknowledged (the commit), for comparison.</summary>
    public LatencySummary? WriteAck { get; init; }

    public string? Error { get; init; }
}
