using System.Collections.Concurrent;
using EdgeCloud.Tenancy;

namespace EdgeCloud.Server.Portal;

/// <summary>
/// The plan a cluster is held to: its tenant's, looked up through the catalog and remembered for
/// <see cref="CacheFor"/> (a request costs no store read); none (no limits) for clusters outside any tenant, such
/// as the operator's own <c>default</c>.
/// </summary>
internal sealed class ClusterPlans(ClusterCatalog catalog, Tenants tenants, PlanCatalog plans, TimeProvider time)
{
    /// <summary>How long a cluster's plan is reused; a plan change applies within it.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private const int MaxCached = 50_000;
    private readonly ConcurrentDictionary<string, (Plan? Plan, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>The plans offered.</summary>
    public PlanCatalog Catalog => plans;

    /// <summary>The plan of <paramref name="cluster"/>, or null when it belongs to no tenant.</summary>
    public async ValueTask<Plan?> PlanOfAsync(string cluster, CancellationToken cancellationToken)
    {
        if (!TenancyIds.IsWellFormed(cluster, ClusterCatalog.IdPrefix))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (_cache.TryGetValue(cluster, out var cached) && cached.Until > now)
        {
            return cached.Plan;
        }

        if (await catalog.FindAsync(cluster, cancellationToken) is not { } record || await tenants.GetAsync(record.TenantId, cancellationToken) is not { } tenant)
        {
            // Not in the catalog (yet: its namespaces are created before it is published; or no more): no limits,
            // and nothing remembered, so the plan applies from its first request once published.
            return null;
        }

        var plan = plans.Find(tenant.Plan);
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        _cache[cluster] = (plan, now + CacheFor);
        return plan;
    }
}
