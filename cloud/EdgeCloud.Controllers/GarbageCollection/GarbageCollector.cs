using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Informers;
using EdgeCloud.Controllers.Runtime;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.GarbageCollection;

/// <summary>
/// Cascading deletion through ownerReferences, as Kubernetes' garbage collector, over the cache's metadata of every
/// object of every kind (custom resources too):
/// <list type="bullet">
/// <item>Background: an object whose owners are all gone is deleted (and so on down the chain); references to owners
/// that are gone are dropped when other owners remain.</item>
/// <item>Foreground: an owner carrying the foregroundDeletion finalizer has its dependents deleted first (in the
/// foreground too when they have dependents of their own) and goes once no dependent with blockOwnerDeletion is
/// left.</item>
/// <item>Orphan: an owner carrying the orphan finalizer has its references removed from its dependents, then goes.</item>
/// </list>
/// Each change queues only the objects it concerns: the object itself, its dependents when it goes, its owners when
/// it was what they waited for.
/// </summary>
public sealed class GarbageCollector : IClusterController
{
    /// <summary>The finalizer of an owner deleted with propagationPolicy=Foreground.</summary>
    public const string ForegroundFinalizer = "foregroundDeletion";

    /// <summary>The finalizer of an owner deleted with propagationPolicy=Orphan.</summary>
    public const string OrphanFinalizer = "orphan";

    private ClusterContext _context = null!;
    private WorkQueue<string> _objects = null!;

    /// <inheritdoc />
    public IEnumerable<KindDefinition> Watches => [];

    /// <inheritdoc />
    public void Attach(ClusterContext context)
    {
        _context = context;
        _objects = context.Queue("garbage-collector", ReconcileAsync);
        context.Cache.SubscribeMetadata(OnChange);
    }

    /// <inheritdoc />
    public void Synced()
    {
    }

    private void OnChange(ObjectMeta? old, ObjectMeta? current)
    {
        if (current is not null && (current.Owners.Count > 0 || IsWaiting(current)))
        {
            _objects.Add(current.Key);
        }

        if (current is null && old?.Uid is { } uid)
        {
            // Gone: its dependents may be orphans to collect now.
            foreach (var dependent in _context.Cache.DependentsOf(uid))
            {
                _objects.Add(dependent.Key);
            }
        }

        // A dependent that went, or dropped a reference, may be what its owners waited for.
        foreach (var owner in (old?.Owners ?? []).Concat(current?.Owners ?? []))
        {
            if (_context.Cache.MetaByUid(owner.Uid) is { } ownerMeta && IsWaiting(ownerMeta))
            {
                _objects.Add(ownerMeta.Key);
            }
        }
    }

    private async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var meta = _context.Cache.MetaOf(key);
        if (meta is null)
        {
            return;
        }

        if (meta.Deleting && meta.Finalizers.Contains(OrphanFinalizer))
        {
            await OrphanDependentsAsync(meta, cancellationToken);
            return;
        }

        if (meta.Deleting && meta.Finalizers.Contains(ForegroundFinalizer))
        {
            await DeleteDependentsFirstAsync(meta, cancellationToken);
            return;
        }

        if (meta.Owners.Count > 0 && !meta.Deleting)
        {
            await CollectIfOrphanedAsync(meta, cancellationToken);
        }
    }

    private async Task CollectIfOrphanedAsync(ObjectMeta meta, CancellationToken cancellationToken)
    {
        var owners = meta.Owners.Select(o => (Link: o, Meta: _context.Cache.MetaByUid(o.Uid))).ToList();
        var dangling = owners.Where(static o => o.Meta is null).Select(static o => o.Link.Uid).ToHashSet(StringComparer.Ordinal);
        if (dangling.Count == owners.Count)
        {
            // Every owner is gone: background deletion of the dependent.
            await _context.Writer.DeleteByKeyAsync(_context.Cache, meta.Key, meta.Uid, foreground: false, cancellationToken);
            return;
        }

        var live = owners.Where(static o => o.Meta is not null).ToList();
        if (live.All(static o => o.Meta!.Deleting && o.Meta.Finalizers.Contains(ForegroundFinalizer)))
        {
            // Every remaining owner waits for its dependents: this one goes first, its own dependents before it.
            var hasDependents = meta.Uid is not null && _context.Cache.DependentsOf(meta.Uid).Count > 0;
            await _context.Writer.DeleteByKeyAsync(_context.Cache, meta.Key, meta.Uid, foreground: hasDependents, cancellationToken);
            return;
        }

        if (dangling.Count > 0)
        {
            await RemoveReferencesAsync(meta, dangling, cancellationToken);
        }
    }

    private async Task OrphanDependentsAsync(ObjectMeta owner, CancellationToken cancellationToken)
    {
        foreach (var dependent in _context.Cache.DependentsOf(owner.Uid!))
        {
            await RemoveReferencesAsync(dependent, new HashSet<string>(StringComparer.Ordinal) { owner.Uid! }, cancellationToken);
        }

        if (_context.Cache.DependentsOf(owner.Uid!).Count == 0)
        {
            await FinishAsync(owner, OrphanFinalizer, cancellationToken);
        }
    }

    private async Task DeleteDependentsFirstAsync(ObjectMeta owner, CancellationToken cancellationToken)
    {
        var dependents = _context.Cache.DependentsOf(owner.Uid!);
        foreach (var dependent in dependents.Where(static d => !d.Deleting))
        {
            var hasDependents = dependent.Uid is not null && _context.Cache.DependentsOf(dependent.Uid).Count > 0;
            await _context.Writer.DeleteByKeyAsync(_context.Cache, dependent.Key, dependent.Uid, foreground: hasDependents, cancellationToken);
        }

        // Only dependents that block the owner's deletion are waited for.
        var blocking = _context.Cache.DependentsOf(owner.Uid!).Any(d => d.Owners.Any(o => o.Uid == owner.Uid && o.BlockOwnerDeletion));
        if (!blocking)
        {
            await FinishAsync(owner, ForegroundFinalizer, cancellationToken);
        }
    }

    /// <summary>Removes the marker finalizer; the object goes when it was the last one.</summary>
    private async Task FinishAsync(ObjectMeta owner, string finalizer, CancellationToken cancellationToken)
    {
        await _context.Writer.UpdateMetadataAsync(_context.Cache, owner.Key, owner.Uid, metadata =>
        {
            if (metadata["finalizers"] is not JsonArray finalizers)
            {
                return false;
            }

            var removed = finalizers.Where(f => f?.ToString() == finalizer).ToList();
            foreach (var item in removed)
            {
                finalizers.Remove(item);
            }

            if (finalizers.Count == 0)
            {
                metadata.Remove("finalizers");
            }

            return removed.Count > 0;
        }, cancellationToken);
        // Namespaces go through the namespace controller (their own spec finalizer), everything else here.
        if (owner.KindPrefix != "/core/namespaces/")
        {
            await _context.Writer.DeleteIfFinalizedAsync(_context.Cache, owner.Key, owner.Uid, cancellationToken);
        }
    }

    private Task RemoveReferencesAsync(ObjectMeta dependent, IReadOnlySet<string> ownerUids, CancellationToken cancellationToken) =>
        _context.Writer.UpdateMetadataAsync(_context.Cache, dependent.Key, dependent.Uid, metadata =>
        {
            if (metadata["ownerReferences"] is not JsonArray references)
            {
                return false;
            }

            var removed = references.Where(r => (r as JsonObject)?.GetString("uid") is { } uid && ownerUids.Contains(uid)).ToList();
            foreach (var reference in removed)
            {
                references.Remove(reference);
            }

            if (references.Count == 0)
            {
                metadata.Remove("ownerReferences");
            }

            return removed.Count > 0;
        }, cancellationToken);

    private static bool IsWaiting(ObjectMeta meta) => meta.Deleting && (meta.Finalizers.Contains(ForegroundFinalizer) || meta.Finalizers.Contains(OrphanFinalizer));
}
