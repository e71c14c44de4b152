using EdgeCloud.Server.Hosting;
using EdgeCloud.Server.Security;
using EdgeCloud.Store;
using EdgeCloud.Tenancy;

namespace EdgeCloud.Server.Portal;

/// <summary>
/// Creating and deleting a tenant's cluster: the catalog records, the store cluster with the namespaces every
/// cluster starts with, and on delete everything that belongs to it (its controllers, agents' sessions, API
/// tokens, join tokens and all its keys and history). A cluster is published to the catalog only once it is
/// complete, and leaves it first when deleted, so no replica runs loops on half a cluster.
/// </summary>
internal sealed class ClusterProvisioning(
    IRevisionedStore store, ClusterCatalog catalog, ServerBootstrap bootstrap, BearerTokens tokens, Nodes.JoinTokens joinTokens,
    Nodes.NodeTunnels tunnels, Controllers.ControllerManager controllers, AuditLog audit, Tenants tenants, PlanCatalog plans)
{
    /// <summary>Creates cluster <paramref name="name"/> for <paramref name="tenantId"/>.</summary>
    /// <exception cref="TenancyException">400 for a bad name, 409 for a name the tenant already uses, 403 when the tenant's plan allows no more clusters.</exception>
    public async Task<TenantCluster> CreateAsync(string tenantId, string? name, string actor, CancellationToken cancellationToken)
    {
        var plan = plans.Find((await tenants.GetAsync(tenantId, cancellationToken) ?? throw TenancyException.NotFound("tenant")).Plan);
        if (await catalog.CountAsync(tenantId, cancellationToken) >= plan.MaxClusters)
        {
            throw TenancyException.Forbidden($"exceeded quota: plan \"{plan.Name}\" allows {plan.MaxClusters} clusters per tenant; delete one or change plans");
        }

        var cluster = await catalog.AddAsync(tenantId, name, actor, cancellationToken);
        try
        {
            await store.CreateClusterAsync(cluster.Id, cancellationToken);
            await bootstrap.EnsureNamespacesAsync(cluster.Id, cancellationToken);
            await catalog.PublishAsync(cluster, cancellationToken);
        }
        catch
        {
            await RemoveStateAsync(cluster, CancellationToken.None);
            throw;
        }

        await audit.WriteAsync(tenantId, actor, "cluster.create", cluster.Id, cluster.Name, cancellationToken);
        return cluster;
    }

    /// <summary>Deletes <paramref name="cluster"/> and all its state.</summary>
    public async Task DeleteAsync(TenantCluster cluster, string actor, CancellationToken cancellationToken)
    {
        await RemoveStateAsync(cluster, cancellationToken);
        await audit.WriteAsync(cluster.TenantId, actor, "cluster.delete", cluster.Id, cluster.Name, cancellationToken);
    }

    private async Task RemoveStateAsync(TenantCluster cluster, CancellationToken cancellationToken)
    {
        // Out of the catalog first: every replica stops the cluster's loops and drops its agents.
        await catalog.RemoveAsync(cluster, cancellationToken);
        await controllers.RemoveClusterAsync(cluster.Id);
        await joinTokens.RevokeAllAsync(cluster.Id, cancellationToken);
        await tokens.RevokeClusterAsync(cluster.Id, cancellationToken);
        await tunnels.CloseClusterAsync(cluster.Id);
        await store.DeleteClusterAsync(cluster.Id, cancellationToken);
    }
}
