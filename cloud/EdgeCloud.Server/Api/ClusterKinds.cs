using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.CustomResources;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Server.Api;

/// <summary>
/// The kinds each cluster serves: the built-in kinds, plus the custom resources of every CustomResourceDefinition
/// stored in that cluster (served as soon as the CRD is accepted). A cluster's catalog is rebuilt when this server
/// writes a CRD of it, and at most <see cref="RefreshAfter"/> after another server does.
/// </summary>
internal sealed class ClusterKinds(ResourceStore objects, TimeProvider time)
{
    /// <summary>How long a catalog is trusted before the cluster's CRDs are read again (bounds staleness across replicas).</summary>
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (ResourceCatalog Catalog, DateTimeOffset Until)> _catalogs = new(StringComparer.Ordinal);

    // The /scale paths of custom resource versions, by the KindDefinition instance served for them.
    private readonly ConditionalWeakTable<KindDefinition, CustomResourceScale> _scales = new();

    /// <summary>The built-in kinds, served by every cluster.</summary>
    public ResourceCatalog BuiltIn { get; } = new(BuiltInKinds.All);

    /// <summary>The catalog of the cluster the request is addressed to.</summary>
    public Task<ResourceCatalog> ForRequestAsync(HttpContext context) => ForClusterAsync(ClusterRequest.Of(context).Cluster, context.RequestAborted);

    /// <summary>The catalog of <paramref name="cluster"/>.</summary>
    public async Task<ResourceCatalog> ForClusterAsync(string cluster, CancellationToken cancellationToken)
    {
        if (_catalogs.TryGetValue(cluster, out var cached) && cached.Until > time.GetUtcNow())
        {
            return cached.Catalog;
        }

        var definitions = await objects.ListAsync(cluster, CustomResourceDefinitionKind.Definition, null, 0, null, 0, static _ => true, cancellationToken);
        // Most clusters define no CRDs: they share the built-in catalog instead of holding a copy each (a catalog
        // per cluster was several KiB of every idle cluster's memory).
        var custom = ServedKinds(definitions.Items).ToList();
        var catalog = custom.Count == 0 ? BuiltIn : new ResourceCatalog([.. BuiltInKinds.All, .. custom]);
        _catalogs[cluster] = (catalog, time.GetUtcNow() + RefreshAfter);
        return catalog;
    }

    /// <summary>Forgets the catalog of <paramref name="cluster"/> (after one of its CRDs changed).</summary>
    public void Invalidate(string cluster) => _catalogs.TryRemove(cluster, out _);

    /// <summary>The scale paths of a custom resource kind whose CRD declares the scale subresource, or null.</summary>
    public CustomResourceScale? ScaleOf(KindDefinition kind) => _scales.TryGetValue(kind, out var scale) ? scale : null;

    /// <summary>True for a kind served from a CRD rather than built in.</summary>
    public bool IsCustom(KindDefinition kind) => BuiltIn.FindResource(kind.Group, kind.Version, kind.Plural) is null;

    /// <summary>
    /// The kinds of the established CRDs that are not being deleted. A CRD whose names clash with a kind already
    /// taken is skipped (its NamesAccepted condition says why).
    /// </summary>
    private IEnumerable<KindDefinition> ServedKinds(IEnumerable<JsonObject> definitions)
    {
        var taken = new HashSet<(string, string, string)>(BuiltInKinds.All.Select(static k => (k.Group, k.Version, k.Plural)));
        foreach (var crd in definitions.OrderBy(static d => d.Metadata().GetString("creationTimestamp"), StringComparer.Ordinal))
        {
            var established = (crd["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
                .Any(static c => c["type"]?.GetValue<string>() == "Established" && c["status"]?.GetValue<string>() == "True") == true;
            if (!established || crd.Metadata()["deletionTimestamp"] is not null)
            {
                continue;
            }

            IReadOnlyList<CustomResourceVersion> versions;
            try
            {
                versions = [.. CustomResourceKinds.Versions(crd).Where(static v => v.Served)];
            }
            catch (Exception error) when (error is FormatException or InvalidOperationException or ArgumentException)
            {
                // A stored CRD that no longer converts is not served rather than breaking the whole cluster's API.
                continue;
            }

            foreach (var version in versions)
            {
                var kind = version.Kind;
                if (taken.Add((kind.Group, kind.Version, kind.Plural)))
                {
                    if (version.Scale is { } scale)
                    {
                        _scales.AddOrUpdate(kind, scale);
                    }

                    yield return kind;
                }
            }
        }
    }
}
