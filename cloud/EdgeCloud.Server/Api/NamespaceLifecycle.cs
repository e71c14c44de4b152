using System.Text.Json.Nodes;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Server.Api;

/// <summary>
/// Empties namespaces being deleted, as Kubernetes' namespace controller does: every object in a Terminating
/// namespace is deleted (objects with finalizers get deletionTimestamp and are waited for); once nothing is
/// left, the "kubernetes" finalizer is removed and the namespace goes. Runs when a namespace delete is
/// requested, again while objects remain, and once per start for what an earlier process left half done.
/// </summary>
internal sealed class NamespaceLifecycle(ResourceStore objects, ClusterKinds kinds, TimeProvider time, ILogger<NamespaceLifecycle> logger)
    : ClusterReconciler(time, logger)
{
    /// <summary>How soon a namespace still waiting for finalizers is looked at again.</summary>
    protected override TimeSpan RetryInterval => TimeSpan.FromSeconds(1);

    /// <summary>Processes every terminating namespace of <paramref name="cluster"/>; true when some still wait.</summary>
    protected override async Task<bool> ReconcileAsync(string cluster, CancellationToken cancellationToken)
    {
        var namespaceKind = Kube.Kinds.NamespaceKind.Definition;
        var terminating = await objects.ListAsync(cluster, namespaceKind, null, 0, null, 0, static ns => ns.Metadata()["deletionTimestamp"] is not null, cancellationToken);
        var waiting = false;
        foreach (var ns in terminating.Items)
        {
            var name = ns.Metadata().GetString("name")!;
            if (await DeleteContentAsync(cluster, name, cancellationToken))
            {
                waiting = true;
                continue;
            }

            var (finalized, _) = await objects.UpdateAsync(cluster, namespaceKind, null, name, current =>
            {
                if (current["spec"] is JsonObject spec && spec["finalizers"] is JsonArray finalizers)
                {
                    foreach (var item in finalizers.Where(static f => f?.ToString() == "kubernetes").ToList())
                    {
                        finalizers.Remove(item);
                    }
                }

                return current;
            }, dryRun: false, cancellationToken);
            if ((finalized.Metadata()["finalizers"] as JsonArray)?.Count is > 0)
            {
                waiting = true;
                continue;
            }

            var rv = ObjectJson.ParseResourceVersion(finalized.Metadata().GetString("resourceVersion"))!.Value;
            await objects.DeleteAtAsync(cluster, namespaceKind, null, name, rv, cancellationToken);
        }

        return waiting;
    }

    /// <summary>Deletes what is in namespace <paramref name="ns"/>; true while something remains.</summary>
    private async Task<bool> DeleteContentAsync(string cluster, string ns, CancellationToken cancellationToken)
    {
        var remaining = false;
        foreach (var kind in (await kinds.ForClusterAsync(cluster, cancellationToken)).All.Where(static k => k.Namespaced).GroupBy(static k => (k.Group, k.Plural)).Select(static g => g.First()))
        {
            var page = await objects.ListAsync(cluster, kind, ns, 0, null, 0, static _ => true, cancellationToken);
            foreach (var obj in page.Items)
            {
                remaining = true;
                await objects.DeleteOrMarkAsync(cluster, kind, obj, cancellationToken);
            }
        }

        return remaining;
    }
}
