namespace EdgeCloud.LoadTests.Api;

/// <summary>Sizes of the API benchmark.</summary>
internal sealed record ApiBenchSettings
{
    /// <summary>Concurrent clients for creates and gets (the figure: 16).</summary>
    public int Clients { get; init; } = 16;

    /// <summary>Creates measured, then as many gets.</summary>
    public required int Operations { get; init; }

    /// <summary>Objects in the listed namespace (the figure: 1,000).</summary>
    public int ListObjects { get; init; } = 1_000;

    /// <summary>Full lists timed, one after another.</summary>
    public required int Lists { get; init; }

    /// <summary>
    /// Creates (then as many gets, and a few lists) before anything is measured: a server that has run for a while
    /// has its hot code compiled; one just started compiles it during the first thousands of requests.
    /// </summary>
    public required int WarmUpOperations { get; init; }

    /// <summary>Objects created one by one while a watch waits for each.</summary>
    public required int WatchedCreates { get; init; }

    public static ApiBenchSettings For(bool quick) => quick
        ? new ApiBenchSettings { Operations = 800, Lists = 5, WatchedCreates = 50, WarmUpOperations = 1_000 }
        : new ApiBenchSettings { Operations = 8_000, Lists = 21, WatchedCreates = 500, WarmUpOperations = 4_000 };
}
