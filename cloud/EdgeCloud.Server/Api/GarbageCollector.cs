using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Server.Api;

/// <summary>
/// Cascading deletion through ownerReferences, as Kubernetes' garbage collector does it:
/// <list type="bullet">
/// <item>Background: once every owner of an object is gone, the object is deleted (and so on down the chain).</item>
/// <item>Foreground: an owner marked with the foregroundDeletion finalizer waits until its dependents are gone, which are deleted first.</item>
/// <item>Orphan: an owner marked with the orphan finalizer has its references removed from its dependents, then goes.</item>
/// </list>
/// A pass scans the cluster's objects; it runs when a delete asks for it and again while work remains.
/// (The controllers issue replaces the scan with informer caches; the semantics stay.)
/// </summary>
internal sealed class GarbageCollector(ResourceStore objects, ClusterKinds kinds, TimeProvider time, ILogger<GarbageCollector> logger)
    : ClusterReconciler(time, logger)
{
    /// <summary>The finalizer of an owner deleted with propagationPolicy=Foreground.</summary>
    public const string ForegroundFinalizer = "foregroundDeletion";

    /// <summary>The finalizer of an owner deleted with propagationPolicy=Orphan.</summary>
    public const string OrphanFinalizer = "orphan";

    /// <summary>How soon a pass that left work behind (dependents still being deleted) runs again.</summary>
    protected override TimeSpan RetryInterval => TimeSpan.FromMilliseconds(500);

    protected override async Task<bool> ReconcileAsync(string cluster, CancellationToken cancellationToken)
    {
        var all = new List<(KindDefinition Kind, JsonObject Object)>();
        foreach (var kind in (await kinds.ForClusterAsync(cluster, cancellationToken)).All.GroupBy(static k => (k.Group, k.Plural)).Select(static g => g.First()))
        {
            var page = await objects.ListAsync(cluster, kind, null, 0, null, 0, static _ => true, cancellationToken);
            all.AddRange(page.Items.Select(o => (kind, o)));
        }

        var byUid = all.Where(static e => e.Object.Metadata().GetString("uid") is not null)
            .ToDictionary(static e => e.Object.Metadata().GetString("uid")!, static e => e);
        var pending = false;
        foreach (var (kind, obj) in all)
        {
            var owners = OwnerUids(obj);
            if (owners.Count == 0)
            {
                continue;
            }

            var live = owners.Where(byUid.ContainsKey).Select(uid => byUid[uid].Object).ToList();
            if (live.Count == 0)
            {
                // Every owner is gone: the dependent goes too (background deletion).
                await objects.DeleteOrMarkAsync(cluster, kind, obj, cancellationToken);
                pending = true;
            }
            else if (live.Any(static o => HasFinalizer(o, OrphanFinalizer)))
            {
                var orphaning = live.Where(static o => HasFinalizer(o, OrphanFinalizer)).Select(static o => o.Metadata().GetString("uid")).ToHashSet();
                await UpdateAsync(cluster, kind, obj, current =>
                {
                    if (current.Metadata()["ownerReferences"] is JsonArray references)
                    {
                        foreach (var reference in references.Where(r => orphaning.Contains(r?["uid"]?.GetValue<string>())).ToList())
                        {
                            references.Remove(reference);
                        }

                        if (references.Count == 0)
                        {
                            current.Metadata().Remove("ownerReferences");
                        }
                    }

                    return current;
                }, cancellationToken);
                pending = true;
            }
            else if (live.Any(static o => HasFinalizer(o, ForegroundFinalizer)) && obj.Metadata()["deletionTimestamp"] is null)
            {
                // Dependents of a foreground deletion are deleted in the foreground too, deepest first.
                await MarkOrDeleteForegroundAsync(cluster, kind, obj, cancellationToken);
                pending = true;
            }
        }

        // Owners waiting on their marker finalizer: done once no object refers to them any more.
        var referenced = all.SelectMany(static e => OwnerUids(e.Object)).ToHashSet();
        foreach (var (kind, obj) in all)
        {
            var uid = obj.Metadata().GetString("uid");
            foreach (var marker in new[] { OrphanFinalizer, ForegroundFinalizer })
            {
                if (!HasFinalizer(obj, marker) || obj.Metadata()["deletionTimestamp"] is null)
                {
                    continue;
                }

                if (referenced.Contains(uid!))
                {
                    // Still waiting for its dependents to go or be orphaned.
                    pending = true;
                    continue;
                }

                await RemoveFinalizerAsync(cluster, kind, obj, marker, cancellationToken);
                // Its own owner may have been waiting for it: look again.
                pending = true;
            }
        }

        return pending;
    }

    private async Task MarkOrDeleteForegroundAsync(string cluster, KindDefinition kind, JsonObject obj, CancellationToken cancellationToken)
    {
        await UpdateAsync(cluster, kind, obj, current =>
        {
            var metadata = current.Metadata();
            var finalizers = metadata["finalizers"] as JsonArray ?? [];
            if (!finalizers.Any(static f => f?.GetValue<string>() == ForegroundFinalizer))
            {
                finalizers.Add(ForegroundFinalizer);
            }

            metadata["finalizers"] = finalizers;
            metadata["deletionTimestamp"] ??= ResourceStore.Timestamp(Time.GetUtcNow());
            metadata["deletionGracePeriodSeconds"] ??= 0;
            return current;
        }, cancellationToken);
    }

    private async Task RemoveFinalizerAsync(string cluster, KindDefinition kind, JsonObject obj, string finalizer, CancellationToken cancellationToken)
    {
        var updated = await UpdateAsync(cluster, kind, obj, current =>
        {
            if (current.Metadata()["finalizers"] is JsonArray finalizers)
            {
                foreach (var item in finalizers.Where(f => f?.GetValue<string>() == finalizer).ToList())
                {
                    finalizers.Remove(item);
                }

                if (finalizers.Count == 0)
                {
                    current.Metadata().Remove("finalizers");
                }
            }

            return current;
        }, cancellationToken);
        if (updated is not null && updated.Metadata()["deletionTimestamp"] is not null && updated.Metadata()["finalizers"] is null && !IsNamespace(kind))
        {
            await objects.DeleteOrMarkAsync(cluster, kind, updated, cancellationToken);
        }
    }

    private async Task<JsonObject?> UpdateAsync(string cluster, KindDefinition kind, JsonObject obj, Func<JsonObject, JsonObject> change, CancellationToken cancellationToken)
    {
        var metadata = obj.Metadata();
        try
        {
            var (updated, _) = await objects.UpdateAsync(cluster, kind, metadata.GetString("namespace"), metadata.GetString("name")!, change, dryRun: false, cancellationToken);
            return updated;
        }
        catch (Kube.Api.KubeApiException gone) when (gone.Code == 404)
        {
            return null;
        }
    }

    private static bool IsNamespace(KindDefinition kind) => kind is { Group: "", Plural: "namespaces" };

    private static List<string> OwnerUids(JsonObject obj) =>
        (obj.Metadata()["ownerReferences"] as JsonArray)?.Select(static r => r?["uid"]?.GetValue<string>()).OfType<string>().ToList() ?? [];

    private static bool HasFinalizer(JsonObject obj, string finalizer) =>
        (obj.Metadata()["finalizers"] as JsonArray)?.Any(f => f?.GetValue<string>() == finalizer) == true;
}
