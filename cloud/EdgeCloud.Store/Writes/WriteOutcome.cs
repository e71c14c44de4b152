namespace EdgeCloud.Store.Writes;

/// <summary>What a backend reports for one operation of a batch: a result, or that the cluster does not exist.</summary>
internal readonly record struct WriteOutcome(WriteResult? Result)
{
    public static WriteOutcome ClusterMissing => new(null);

    public bool IsClusterMissing => Result is null;
}
