namespace EdgeCloud.LoadTests.Api;

/// <summary>The figures of one side (store or api).</summary>
internal sealed record ApiBenchSide
{
    public required string Target { get; init; }

    public required OperationResult Create { get; init; }

    public required OperationResult Get { get; init; }

    public required OperationResult List { get; init; }

    public required LatencySummary Watch { get; init; }
}
