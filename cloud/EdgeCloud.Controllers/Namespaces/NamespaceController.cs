using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Runtime;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Namespaces;

/// <summary>
/// Empties namespaces being deleted, as Kubernetes' namespace controller: every object in a Terminating namespace,
/// of every kind, is deleted (objects with finalizers are marked and waited for; bound pods get their grace
/// period); once nothing is left, the "kubernetes" finalizer is removed from spec.finalizers and the namespace goes.
/// Driven by the cache: a namespace is looked at again whenever an object in it changes or goes.
/// </summary>
public sealed class NamespaceController : IClusterController
{
    /// <summary>The spec finalizer the namespace controller owns.</summary>
    public const string KubernetesFinalizer = "kubernetes";

    private const string NamespacePrefix = "/core/namespaces/";
    private ClusterContext _context = null!;
    private WorkQueue<string> _namespaces = null!;

    /// <inheritdoc />
    public IEnumerable<KindDefinition> Watches => [NamespaceKind.Definition];

    /// <inheritdoc />
    public void Attach(ClusterContext context)
    {
        _context = context;
        _namespaces = context.Queue("namespace", ReconcileAsync);
        context.Cache.SubscribeMetadata((old, current) =>
        {
            var meta = current ?? old!;
            if (meta.KindPrefix == NamespacePrefix)
            {
                if (current?.Deleting == true)
                {
                    _namespaces.Add(current.Name);
                }
            }
            else if (meta.Namespace is { } ns && _context.Cache.MetaOf(NamespacePrefix + ns) is { Deleting: true })
            {
                _namespaces.Add(ns);
            }
        });
    }

    /// <inheritdoc />
    public void Synced()
    {
        // Finish what an earlier leader left half done.
        foreach (var ns in _context.Cache.List(NamespaceKind.Definition))
        {
            if (ns.Metadata()["deletionTimestamp"] is not null)
            {
                _namespaces.Add(ns.Metadata().GetString("name")!);
            }
        }
    }

    private async Task ReconcileAsync(string name, CancellationToken cancellationToken)
    {
        var ns = _context.Cache.MetaOf(NamespacePrefix + name);
        if (ns is not { Deleting: true })
        {
            return;
        }

        var content = _context.Cache.InNamespace(name);
        foreach (var item in content.Where(static m => !m.Deleting))
        {
            await _context.Writer.DeleteByKeyAsync(_context.Cache, item.Key, item.Uid, foreground: false, cancellationToken);
        }

        if (_context.Cache.InNamespace(name).Count > 0)
        {
            // Waiting for finalizers or nodes; each of those objects going queues the namespace again.
            return;
        }

        // What the namespaces/finalize subresource does: the controller's own spec finalizer goes.
        var remaining = -1;
        await _context.Writer.UpdateStoredAsync(_context.Cache, NamespacePrefix + name, ns.Uid, current =>
        {
            if (current["spec"] is not JsonObject spec || spec["finalizers"] is not JsonArray finalizers)
            {
                remaining = 0;
                return false;
            }

            var ours = finalizers.Where(static f => f?.ToString() == KubernetesFinalizer).ToList();
            foreach (var item in ours)
            {
                finalizers.Remove(item);
            }

            remaining = finalizers.Count;
            return ours.Count > 0;
        }, cancellationToken);
        if (remaining != 0)
        {
            return;
        }

        await _context.Writer.DeleteIfFinalizedAsync(_context.Cache, NamespacePrefix + name, ns.Uid, cancellationToken);
    }
}
