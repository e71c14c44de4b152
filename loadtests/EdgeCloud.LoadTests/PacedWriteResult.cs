namespace EdgeCloud.LoadTests;

/// <summary>What the paced watch writer sent in its measured window.</summary>
internal sealed record PacedWriteResult
{
    /// <summary>Measured writes sent, all acknowledged as applied.</summary>
    public required long Measured { get; init; }

    /// <summary>Send to acknowledgement of each measured write, in Stopwatch ticks.</summary>
    public required IReadOnlyList<long> AckTicks { get; init; }

    public required double MeasuredSeconds { get; init; }
}
