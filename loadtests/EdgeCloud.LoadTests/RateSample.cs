namespace EdgeCloud.LoadTests;

/// <summary>Operations counted in a measured window.</summary>
internal sealed record RateSample
{
    public required long Operations { get; init; }

    public required double Seconds { get; init; }

    /// <summary>Operations that were refused (e.g. a CAS conflict) and not counted.</summary>
    public long Refused { get; init; }

    public double PerSecond => Seconds > 0 ? Operations / Seconds : 0;
}
