namespace EdgeCloud.Tenancy;

/// <summary>A plan: the limits every cluster of a tenant on it is held to.</summary>
public sealed record Plan
{
    /// <summary>The plan's name, e.g. "free".</summary>
    public required string Name { get; init; }

    /// <summary>Clusters a tenant may have.</summary>
    public required int MaxClusters { get; init; }

    /// <summary>Nodes (Node objects, so joined agents) per cluster.</summary>
    public required int MaxNodesPerCluster { get; init; }

    /// <summary>Stored objects of every kind per cluster.</summary>
    public required int MaxObjectsPerCluster { get; init; }

    /// <summary>Sustained API requests per second per cluster (a token bucket refilled at this rate).</summary>
    public required int RequestsPerSecond { get; init; }

    /// <summary>Requests a cluster may make at once above the sustained rate (the bucket's size).</summary>
    public required int RequestBurst { get; init; }

    /// <summary>Watches open at once per cluster.</summary>
    public required int MaxWatchesPerCluster { get; init; }

    /// <summary>Why the plan cannot be used, or null when it is sound.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 40)
        {
            return "a plan needs a name of 1 to 40 characters";
        }

        var limits = new (string Field, int Value)[]
        {
            (nameof(MaxClusters), MaxClusters), (nameof(MaxNodesPerCluster), MaxNodesPerCluster), (nameof(MaxObjectsPerCluster), MaxObjectsPerCluster),
            (nameof(RequestsPerSecond), RequestsPerSecond), (nameof(RequestBurst), RequestBurst), (nameof(MaxWatchesPerCluster), MaxWatchesPerCluster),
        };
        foreach (var (field, value) in limits)
        {
            if (value < 1)
            {
                return $"plan \"{Name}\": {field} is {value}; every limit must be at least 1";
            }
        }

        return RequestBurst < RequestsPerSecond ? $"plan \"{Name}\": RequestBurst ({RequestBurst}) must be at least RequestsPerSecond ({RequestsPerSecond})" : null;
    }
}
