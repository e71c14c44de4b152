namespace EdgeCloud.Store;

/// <summary>The request named a cluster the store does not hold.</summary>
public sealed class ClusterNotFoundException(string clusterId)
    : StoreException($"cluster \"{clusterId}\" does not exist")
{
    /// <summary>The cluster id the request named.</summary>
    public string ClusterId { get; } = clusterId;
}
