using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Server.Api;

internal sealed partial class ResourceHandler
{
    private async Task DeleteAsync(HttpContext context, Target target)
    {
        var options = await DeleteOptions.ReadAsync(context);
        var result = await DeleteOneAsync(target, target.RequiredName, options, context.RequestAborted);
        await WriteObjectAsync(context, 200, target.Kind, result);
    }

    private async Task DeleteCollectionAsync(HttpContext context, Target target)
    {
        var options = await DeleteOptions.ReadAsync(context);
        var query = context.Request.Query;
        var filter = SelectorFilter.Build(target.Kind, query["labelSelector"], query["fieldSelector"]);
        var page = await objects.ListAsync(target.Cluster, target.Kind, target.Namespace, 0, null, 0, filter, context.RequestAborted);
        var deleted = new JsonArray();
        foreach (var obj in page.Items)
        {
            var name = obj.Metadata().GetString("name")!;
            var ns = obj.Metadata().GetString("namespace");
            try
            {
                deleted.Add(WithTypeMeta(target.Kind, await DeleteOneAsync(target with { Namespace = ns }, name, options with { Preconditions = null }, context.RequestAborted)));
            }
            catch (KubeApiException gone) when (gone.Code == 404)
            {
                // Deleted by someone else meanwhile: the collection is still gone.
            }
        }

        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = target.Kind.ListKind,
            ["apiVersion"] = target.Kind.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = Rv(page.Revision) },
            ["items"] = deleted,
        });
    }

    /// <summary>
    /// Deletes one object as kube-apiserver's registry does: preconditions first; an object with finalizers (or
    /// a namespace, which has its own) only gets deletionTimestamp and waits for them to be removed; anything
    /// else goes at once. Returns the object as last stored or as removed.
    /// </summary>
    private async Task<JsonObject> DeleteOneAsync(Target target, string name, DeleteOptions options, CancellationToken cancellationToken)
    {
        var kind = target.Kind;
        // kube-apiserver's NamespaceLifecycle admission keeps the namespaces the cluster itself relies on.
        if (kind is { Group: "", Plural: "namespaces" } && name is "default" or "kube-system" or "kube-public")
        {
            throw KubeApiException.Forbidden("", "namespaces", name, "this namespace may not be deleted");
        }

        while (true)
        {
            var current = await objects.GetAsync(target.Cluster, kind, target.Namespace, name, cancellationToken);
            options.Check(kind, name, current);
            var finalizers = FinalizersAfterDelete(current, options);
            // A pod bound to a node waits for that node to stop it (or for the pod GC when the node is gone).
            var grace = PodGracefulDeletion.GracePeriodSeconds(kind, current, options.GracePeriodSeconds);
            var waitsForFinalizers = finalizers.Count > 0 || grace > 0 || (kind.Group.Length == 0 && kind.Plural == "namespaces");
            if (options.DryRun)
            {
                return current;
            }

            if (kind is { Group: "", Plural: "namespaces" })
            {
                activeNamespaces.Forget(target.Cluster, name);
            }

            if (waitsForFinalizers)
            {
                var (marked, _) = await objects.UpdateAsync(target.Cluster, kind, target.Namespace, name, latest =>
                {
                    options.Check(kind, name, latest);
                    var metadata = latest.Metadata();
                    metadata["finalizers"] = new JsonArray([.. FinalizersAfterDelete(latest, options).Select(static f => (JsonNode)f)]);
                    if (((JsonArray)metadata["finalizers"]!).Count == 0)
                    {
                        metadata.Remove("finalizers");
                    }

                    var latestGrace = PodGracefulDeletion.GracePeriodSeconds(kind, latest, options.GracePeriodSeconds);
                    // A second delete may shorten the grace period, never lengthen it (as kube-apiserver).
                    if (metadata["deletionTimestamp"] is null || (latestGrace > 0 && latestGrace < (metadata["deletionGracePeriodSeconds"]?.GetValue<long>() ?? long.MaxValue)))
                    {
                        metadata["deletionTimestamp"] = ResourceStore.Timestamp(time.GetUtcNow().AddSeconds(latestGrace));
                        metadata["deletionGracePeriodSeconds"] = latestGrace;
                    }

                    if (kind.Group.Length == 0 && kind.Plural == "namespaces")
                    {
                        var status = latest["status"] as JsonObject ?? [];
                        status["phase"] = "Terminating";
                        latest["status"] = status;
                    }

                    return latest;
                }, dryRun: false, cancellationToken);
                // The namespace controller and the garbage collector see the mark through their cache.
                return marked;
            }

            if (CustomResourceDefinitions.IsDefinitionKind(kind))
            {
                await definitions.DeleteInstancesAsync(target.Cluster, current, cancellationToken);
            }

            var rv = ObjectJson.ParseResourceVersion(current.Metadata().GetString("resourceVersion"))!.Value;
            var (deleted, _) = await objects.DeleteAtAsync(target.Cluster, kind, target.Namespace, name, rv, cancellationToken);
            if (deleted)
            {
                // Dependents of the deleted object are collected in the background (the garbage collector sees it go).
                if (CustomResourceDefinitions.IsDefinitionKind(kind))
                {
                    kinds.Invalidate(target.Cluster);
                }

                return current;
            }

            // Changed or gone meanwhile: look again (preconditions and finalizers may differ now).
        }
    }

    /// <summary>
    /// The finalizers that hold the object once its delete is requested: its own, plus the propagation policy's
    /// marker (orphan, foregroundDeletion) that the garbage collector honours and removes. An object already
    /// being deleted keeps what it has.
    /// </summary>
    private static List<string> FinalizersAfterDelete(JsonObject obj, DeleteOptions options)
    {
        var finalizers = (obj.Metadata()["finalizers"] as JsonArray)?.Select(static f => f?.ToString() ?? "").Where(static f => f.Length > 0).ToList() ?? [];
        var marker = options.PropagationPolicy switch
        {
            "Orphan" => Controllers.GarbageCollection.GarbageCollector.OrphanFinalizer,
            "Foreground" => Controllers.GarbageCollection.GarbageCollector.ForegroundFinalizer,
            _ => null,
        };
        if (marker is not null && obj.Metadata()["deletionTimestamp"] is null && !finalizers.Contains(marker))
        {
            finalizers.Add(marker);
        }

        return finalizers;
    }
}
