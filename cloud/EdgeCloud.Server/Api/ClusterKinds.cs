using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Server.Api;

/// <summary>
/// The kinds a cluster serves: for now the built-in kinds, the same in every cluster. Custom resources will
/// join per cluster once CRDs are served (then this becomes per-cluster and asynchronous).
/// </summary>
internal sealed class ClusterKinds
{
    /// <summary>The built-in kinds, served by every cluster.</summary>
    public ResourceCatalog BuiltIn { get; } = new(BuiltInKinds.All);

    /// <summary>The catalog of the cluster the request is addressed to.</summary>
    public Task<ResourceCatalog> ForRequestAsync(HttpContext context) => Task.FromResult(BuiltIn);
}
