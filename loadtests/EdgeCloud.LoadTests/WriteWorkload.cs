namespace EdgeCloud.LoadTests;

/// <summary>The one-row write each throughput point repeats.</summary>
internal enum WriteWorkload
{
    /// <summary>Create a new key (a ~256-byte value).</summary>
    Creates,

    /// <summary>Compare-and-swap update of one of the writer's own keys with the mod revision it last saw.</summary>
    Updates,
}
