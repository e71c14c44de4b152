namespace EdgeCloud.LoadTests;

/// <summary>One goal, the value measured against it, and whether it was met.</summary>
internal sealed record TargetCheck
{
    public required string Backend { get; init; }

    /// <summary>E.g. "creates/s at 16 writers vs ceiling".</summary>
    public required string Name { get; init; }

    /// <summary>E.g. "≥ 0.70× ceiling".</summary>
    public required string Goal { get; init; }

    /// <summary>The measured value, or null when it was not measured.</summary>
    public double? Value { get; init; }

    public required string Unit { get; init; }

    /// <summary>Null when there is no value to judge.</summary>
    public bool? Passed { get; init; }

    public string Verdict => Passed switch { true => "PASS", false => "MISS", null => "N/A" };
}
