using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Informers;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Apply;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Kube.Validation;

namespace EdgeCloud.Controllers.Runtime;

/// <summary>
/// The controllers' writes, in process, with what the API does to every write: defaults, validation,
/// the spec/status split, managedFields under the controller's manager name, optimistic concurrency. Each write
/// is applied to the cluster's cache at once, so the writer's next read sees it.
/// </summary>
public sealed class ObjectWriter(ResourceStore objects, TimeProvider time)
{
    /// <summary>The clock the controllers use.</summary>
    public TimeProvider Time => time;

    /// <summary>Creates <paramref name="obj"/> (generateName honoured) as <paramref name="manager"/>; an Event expires as its kind says.</summary>
    public async Task<JsonObject> CreateAsync(ClusterCache cache, KindDefinition kind, JsonObject obj, string manager, CancellationToken cancellationToken)
    {
        var ns = kind.Namespaced ? obj.Metadata().GetString("namespace") : null;
        ObjectAdmission.Prepare(kind, obj, FieldValidation.Ignore);
        obj = ManagedFields.Update(null, obj, kind.Schema, manager, kind.ApiVersion, time.GetUtcNow(), null, ManagedFields.IgnoredFieldsFor(kind, null));
        obj["apiVersion"] = kind.ApiVersion;
        obj["kind"] = kind.Kind;
        var created = await objects.CreateAsync(cache.Cluster, kind, ns, obj, dryRun: false, cancellationToken);
        cache.Observe(kind, created);
        return created;
    }

    /// <summary>
    /// Read-modify-write of one object: <paramref name="change"/> gets a private copy of the stored object and
    /// returns what to store (or null to leave it). <paramref name="subresource"/> "status" stores only the status.
    /// Returns the object as stored, or null when it does not exist (any more).
    /// </summary>
    public async Task<JsonObject?> UpdateAsync(
        ClusterCache cache, KindDefinition kind, string? ns, string name, Func<JsonObject, JsonObject?> change, string manager, CancellationToken cancellationToken, string? subresource = null)
    {
        try
        {
            var (updated, changed) = await objects.UpdateAsync(cache.Cluster, kind, ns, name, current =>
            {
                var requested = change(current.DeepClone().AsObject());
                if (requested is null)
                {
                    return current;
                }

                var result = subresource == "status" ? UpdateRules.StatusResource(current, requested) : UpdateRules.MainResource(kind, current, requested);
                ObjectAdmission.Prepare(kind, result, FieldValidation.Ignore);
                return ManagedFields.Update(current, result, kind.Schema, manager, kind.ApiVersion, time.GetUtcNow(), subresource, ManagedFields.IgnoredFieldsFor(kind, subresource));
            }, dryRun: false, cancellationToken);
            if (changed)
            {
                cache.Observe(kind, updated);
            }

            return updated;
        }
        catch (KubeApiException gone) when (gone.Code == 404)
        {
            return null;
        }
    }

    /// <summary>Sets the status of <paramref name="obj"/> to <paramref name="status"/> when it differs.</summary>
    public Task<JsonObject?> UpdateStatusAsync(ClusterCache cache, KindDefinition kind, JsonObject obj, JsonObject status, string manager, CancellationToken cancellationToken)
    {
        if (JsonNode.DeepEquals(obj["status"], status))
        {
            return Task.FromResult<JsonObject?>(obj);
        }

        var metadata = obj.Metadata();
        return UpdateAsync(cache, kind, metadata.GetString("namespace"), metadata.GetString("name")!, current =>
        {
            current["status"] = status.DeepClone();
            return current;
        }, manager, cancellationToken, subresource: "status");
    }

    /// <summary>
    /// Deletes <paramref name="obj"/> as a DELETE request without options would (background propagation): a
    /// pod bound to a node gets its grace period and is removed by the node (or by the pod GC when the node is
    /// gone), an object with finalizers waits for them, anything else goes at once. Nothing happens when the
    /// object's uid no longer matches (it was replaced meanwhile).
    /// </summary>
    public Task DeleteAsync(ClusterCache cache, KindDefinition kind, JsonObject obj, CancellationToken cancellationToken)
    {
        var metadata = obj.Metadata();
        var key = ObjectKeys.Key(kind, kind.Namespaced ? metadata.GetString("namespace") : null, metadata.GetString("name")!);
        return DeleteByKeyAsync(cache, key, metadata.GetString("uid"), foreground: false, cancellationToken);
    }

    /// <summary>Removes <paramref name="obj"/> now, whatever its grace period (pod GC of pods whose node is gone).</summary>
    public async Task<bool> ForceDeleteAsync(ClusterCache cache, KindDefinition kind, JsonObject obj, CancellationToken cancellationToken)
    {
        var metadata = obj.Metadata();
        if ((metadata["finalizers"] as JsonArray)?.Count > 0)
        {
            return false;
        }

        var rv = long.Parse(metadata.GetString("resourceVersion")!, CultureInfo.InvariantCulture);
        var (deleted, revision) = await objects.DeleteAtAsync(cache.Cluster, kind, metadata.GetString("namespace"), metadata.GetString("name")!, rv, cancellationToken);
        if (deleted)
        {
            cache.ObserveDeleted(kind, metadata.GetString("namespace"), metadata.GetString("name")!, revision);
        }

        return deleted;
    }

    /// <summary>
    /// Binds a pending pod to <paramref name="node"/> as the pods/binding subresource does (spec.nodeName set once,
    /// PodScheduled=True): refused (false) when the pod is already bound, being deleted, replaced or gone.
    /// </summary>
    public async Task<bool> BindAsync(ClusterCache cache, string ns, string pod, string uid, string node, CancellationToken cancellationToken)
    {
        var kind = Kube.Kinds.PodSchemas.Pod;
        var stamp = ResourceStore.Timestamp(time.GetUtcNow());
        try
        {
            var (bound, changed) = await objects.UpdateAsync(cache.Cluster, kind, ns, pod, current =>
            {
                if (current["spec"] is not JsonObject spec || current.Metadata().GetString("uid") != uid
                    || spec.GetString("nodeName") is { Length: > 0 } || current.Metadata()["deletionTimestamp"] is not null)
                {
                    return current;
                }

                var copy = current.DeepClone().AsObject();
                copy["spec"]!["nodeName"] = node;
                var status = copy["status"] as JsonObject ?? [];
                var conditions = (status["conditions"] as JsonArray)?.OfType<JsonObject>().Where(static c => c.GetString("type") != "PodScheduled").Select(static c => (JsonNode)c.DeepClone()).ToList() ?? [];
                conditions.Add(new JsonObject { ["type"] = "PodScheduled", ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = stamp });
                status["conditions"] = new JsonArray([.. conditions]);
                status["phase"] ??= "Pending";
                copy["status"] = status;
                return copy;
            }, dryRun: false, cancellationToken);
            if (changed)
            {
                cache.Observe(kind, bound);
            }

            return changed;
        }
        catch (KubeApiException gone) when (gone.Code == 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Changes the metadata of the object stored at <paramref name="key"/>, of any kind (custom resources too):
    /// <paramref name="change"/> edits a private copy and says whether it changed anything. Only for what any
    /// object may have changed by its controllers without validation (ownerReferences, finalizers). False when the
    /// object is gone or <paramref name="uid"/> no longer matches.
    /// </summary>
    public Task<bool> UpdateMetadataAsync(ClusterCache cache, string key, string? uid, Func<JsonObject, bool> change, CancellationToken cancellationToken) =>
        UpdateStoredAsync(cache, key, uid, obj => change(obj.Metadata()), cancellationToken);

    /// <summary>
    /// Changes the object stored at <paramref name="key"/> as stored, bypassing the update rules: for what the
    /// registry itself writes (the namespaces/finalize subresource, finalizers, ownerReferences).
    /// </summary>
    public async Task<bool> UpdateStoredAsync(ClusterCache cache, string key, string? uid, Func<JsonObject, bool> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = (await objects.Store.GetAsync(cache.Cluster, key, cancellationToken)).Item;
            if (current is null)
            {
                return false;
            }

            var obj = ObjectJson.FromStored(current.Value.Span, current.ModRevision);
            if (uid is not null && obj.Metadata().GetString("uid") != uid)
            {
                return false;
            }

            if (!change(obj))
            {
                return true;
            }

            var written = await objects.Store.UpdateAsync(cache.Cluster, key, ObjectJson.ToStored(obj), current.ModRevision, null, cancellationToken);
            if (written.Status == Store.WriteStatus.Applied)
            {
                obj.Metadata()["resourceVersion"] = written.Revision.ToString(CultureInfo.InvariantCulture);
                cache.Observe(key, obj, written.Revision);
                return true;
            }

            if (written.Status == Store.WriteStatus.NotFound)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Deletes the object stored at <paramref name="key"/> as the garbage collector does: with
    /// <paramref name="foreground"/> it gets the foregroundDeletion finalizer (its own dependents go first);
    /// otherwise a bound pod gets its grace period, an object with finalizers waits for them, and anything else
    /// goes at once. Nothing happens when <paramref name="uid"/> no longer matches or it is already being deleted.
    /// </summary>
    public async Task DeleteByKeyAsync(ClusterCache cache, string key, string? uid, bool foreground, CancellationToken cancellationToken)
    {
        var current = (await objects.Store.GetAsync(cache.Cluster, key, cancellationToken)).Item;
        if (current is null)
        {
            return;
        }

        var obj = ObjectJson.FromStored(current.Value.Span, current.ModRevision);
        var metadata = obj.Metadata();
        if ((uid is not null && metadata.GetString("uid") != uid) || metadata["deletionTimestamp"] is not null)
        {
            return;
        }

        var grace = key.StartsWith("/core/pods/", StringComparison.Ordinal) ? PodGracefulDeletion.GracePeriodSeconds(Kube.Kinds.PodSchemas.Pod, obj, requested: null) : 0;
        var hasFinalizers = (metadata["finalizers"] as JsonArray)?.Count > 0;
        if (!foreground && grace == 0 && !hasFinalizers)
        {
            var (deleted, revision) = (await objects.Store.DeleteAsync(cache.Cluster, key, current.ModRevision, cancellationToken)) is { Status: Store.WriteStatus.Applied } done
                ? (true, done.Revision)
                : (false, 0L);
            if (deleted)
            {
                cache.ObserveDeleted(key, revision);
            }

            return;
        }

        var at = ResourceStore.Timestamp(time.GetUtcNow().AddSeconds(grace));
        await UpdateMetadataAsync(cache, key, uid, m =>
        {
            if (m["deletionTimestamp"] is not null)
            {
                return false;
            }

            if (foreground)
            {
                var finalizers = m["finalizers"] as JsonArray ?? [];
                if (!finalizers.Any(static f => f?.ToString() == GarbageCollection.GarbageCollector.ForegroundFinalizer))
                {
                    finalizers.Add(GarbageCollection.GarbageCollector.ForegroundFinalizer);
                }

                m["finalizers"] = finalizers;
            }

            m["deletionTimestamp"] = at;
            m["deletionGracePeriodSeconds"] = grace;
            return true;
        }, cancellationToken);
    }

    /// <summary>Removes the object at <paramref name="key"/> once it is being deleted and has no finalizer left (true when it is gone).</summary>
    public async Task<bool> DeleteIfFinalizedAsync(ClusterCache cache, string key, string? uid, CancellationToken cancellationToken)
    {
        var current = (await objects.Store.GetAsync(cache.Cluster, key, cancellationToken)).Item;
        if (current is null)
        {
            return true;
        }

        var metadata = ObjectJson.FromStored(current.Value.Span, current.ModRevision).Metadata();
        if ((uid is not null && metadata.GetString("uid") != uid) || (metadata["finalizers"] as JsonArray)?.Count > 0 || metadata["deletionTimestamp"] is null)
        {
            return false;
        }

        var written = await objects.Store.DeleteAsync(cache.Cluster, key, current.ModRevision, cancellationToken);
        if (written.Status == Store.WriteStatus.Applied)
        {
            cache.ObserveDeleted(key, written.Revision);
            return true;
        }

        return false;
    }
}
