using System.Text.RegularExpressions;

namespace EdgeCloud.Tenancy;

/// <summary>
/// The catalog of tenant clusters: <c>/tenancy/clusters/{id}</c> for every cluster (what every replica watches to
/// run the clusters' controllers), and under each tenant its clusters and the names they hold
/// (<c>/tenancy/tenants/{t}/clusters/{id}</c>, <c>/tenancy/tenants/{t}/cluster-names/{name}</c>, claimed by a
/// create so a name is unique within the tenant). Only records: creating the store cluster, its namespaces and
/// credentials is the host's <c>ClusterProvisioning</c>.
/// </summary>
public sealed partial class ClusterCatalog(SystemRecords records, TimeProvider time)
{
    /// <summary>Prefix of every cluster's catalog record.</summary>
    public const string Prefix = "/tenancy/clusters/";

    /// <summary>Prefix of cluster ids ("c-" and 12 random characters).</summary>
    public const string IdPrefix = "c-";

    /// <summary>Reserves a name in the tenant and records a new cluster; returns it.</summary>
    /// <exception cref="TenancyException">400 for a bad name, 409 when the tenant already has a cluster of that name.</exception>
    public async Task<TenantCluster> AddAsync(string tenantId, string? name, string createdBy, CancellationToken cancellationToken)
    {
        var checkedName = CheckName(name);
        var cluster = new TenantCluster { Id = TenancyIds.New(IdPrefix), TenantId = tenantId, Name = checkedName, CreatedAt = time.GetUtcNow(), CreatedBy = createdBy };
        if (!await records.CreateAsync(NameKey(tenantId, checkedName), cluster.Id, TenancyJsonContext.Default.String, cancellationToken))
        {
            throw new TenancyException(409, "AlreadyExists", $"this tenant already has a cluster named \"{checkedName}\"");
        }

        await records.CreateAsync(TenantClusterKey(tenantId, cluster.Id), cluster, TenancyJsonContext.Default.TenantCluster, cancellationToken);
        return cluster;
    }

    /// <summary>Publishes the cluster to every replica (after its store cluster and namespaces exist).</summary>
    public Task PublishAsync(TenantCluster cluster, CancellationToken cancellationToken) =>
        records.CreateAsync(Prefix + cluster.Id, cluster, TenancyJsonContext.Default.TenantCluster, cancellationToken);

    /// <summary>The tenant's cluster with this id, or null (also when it belongs to another tenant or the id is malformed).</summary>
    public async Task<TenantCluster?> GetAsync(string tenantId, string clusterId, CancellationToken cancellationToken) =>
        TenancyIds.IsWellFormed(clusterId, IdPrefix) && await records.GetAsync(TenantClusterKey(tenantId, clusterId), TenancyJsonContext.Default.TenantCluster, cancellationToken) is { } found && found.Value.TenantId == tenantId
            ? found.Value
            : null;

    /// <summary>The cluster with this id whatever its tenant, or null.</summary>
    public async Task<TenantCluster?> FindAsync(string clusterId, CancellationToken cancellationToken) =>
        TenancyIds.IsWellFormed(clusterId, IdPrefix) && await records.GetAsync(Prefix + clusterId, TenancyJsonContext.Default.TenantCluster, cancellationToken) is { } found ? found.Value : null;

    /// <summary>The tenant's clusters, by id.</summary>
    public async Task<IReadOnlyList<TenantCluster>> ListAsync(string tenantId, CancellationToken cancellationToken) =>
        [.. (await records.ListAsync(TenantPrefix(tenantId), TenancyJsonContext.Default.TenantCluster, cancellationToken)).Select(r => r.Value)];

    /// <summary>How many clusters the tenant has (one count, no records read).</summary>
    public Task<long> CountAsync(string tenantId, CancellationToken cancellationToken) =>
        records.CountAsync(TenantPrefix(tenantId), cancellationToken);

    /// <summary>Removes the cluster's records: the catalog record first (replicas stop its controllers), then the tenant's.</summary>
    public async Task RemoveAsync(TenantCluster cluster, CancellationToken cancellationToken)
    {
        await records.DeleteAsync(Prefix + cluster.Id, cancellationToken);
        await records.DeleteAsync(TenantClusterKey(cluster.TenantId, cluster.Id), cancellationToken);
        await records.DeleteAsync(NameKey(cluster.TenantId, cluster.Name), cancellationToken);
    }

    /// <summary>A valid cluster name: a DNS label of at most 40 characters (it becomes the kubeconfig's cluster and context name).</summary>
    /// <exception cref="TenancyException">400 otherwise.</exception>
    public static string CheckName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 40 || !DnsLabel().IsMatch(trimmed))
        {
            throw TenancyException.Invalid("name: use 1 to 40 lower-case letters, digits and '-', starting and ending with a letter or digit, e.g. \"plant-7\"");
        }

        return trimmed;
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    private static string TenantPrefix(string tenantId) => "/tenancy/tenants/" + tenantId + "/clusters/";

    private static string TenantClusterKey(string tenantId, string clusterId) => TenantPrefix(tenantId) + clusterId;

    private static string NameKey(string tenantId, string name) => "/tenancy/tenants/" + tenantId + "/cluster-names/" + name;
}
