using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Informers;
using EdgeCloud.Controllers.Runtime;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Pods;

/// <summary>
/// Finishes pod deletions no node will finish, so that `kubectl delete` never hangs: a terminating pod whose node
/// does not exist goes at once; one whose node is not Ready goes <see cref="ControllerOptions.OrphanedPodDeletionGrace"/>
/// after its grace period ended. A pod bound to a node that is gone (deleted, or never registered) is removed
/// after that grace too, as kube-controller-manager's pod GC does with orphaned pods. A Ready node finishes its
/// own pods' deletions; nothing is done for those.
/// </summary>
public sealed class PodGarbageCollector : IClusterController
{
    private ClusterContext _context = null!;
    private WorkQueue<string> _pods = null!;
    // When each pod was first seen bound to a missing node (noted as the change is seen, not when it is processed).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _missingNodeSince = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public IEnumerable<KindDefinition> Watches => [PodSchemas.Pod, NodeKind.Definition];

    /// <inheritdoc />
    public void Attach(ClusterContext context)
    {
        _context = context;
        _pods = context.Queue("pod-gc", ReconcileAsync);
        context.Cache.Subscribe(change =>
        {
            if (change.Is(PodSchemas.Pod))
            {
                if (change.New is { } pod && ClusterCache.NodeOf(pod) is { } node && context.Cache.Get(NodeKind.Definition, null, node) is null)
                {
                    _missingNodeSince.TryAdd(QueueKey.Of(pod), context.Time.GetUtcNow());
                    _pods.Add(QueueKey.Of(pod));
                }
                else if (change.New is { } terminating && PodConditionsOf(terminating).Terminating)
                {
                    _pods.Add(QueueKey.Of(terminating));
                }
            }
            else if (change.Is(NodeKind.Definition) && (change.New is null || !IsReady(change.New)))
            {
                foreach (var pod in context.Cache.PodsOn(change.Object.Metadata().GetString("name")!))
                {
                    if (change.New is null)
                    {
                        _missingNodeSince.TryAdd(QueueKey.Of(pod), context.Time.GetUtcNow());
                    }

                    _pods.Add(QueueKey.Of(pod));
                }
            }
        });
    }

    /// <inheritdoc />
    public void Synced()
    {
        foreach (var pod in _context.Cache.List(PodSchemas.Pod))
        {
            if (PodConditionsOf(pod).Terminating || ClusterCache.NodeOf(pod) is { } node && _context.Cache.Get(NodeKind.Definition, null, node) is null)
            {
                _pods.Add(QueueKey.Of(pod));
            }
        }
    }

    private async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = QueueKey.Split(key);
        var pod = _context.Cache.Get(PodSchemas.Pod, ns, name);
        if (pod is null)
        {
            _missingNodeSince.TryRemove(key, out _);
            return;
        }

        var now = _context.Time.GetUtcNow();
        var nodeName = ClusterCache.NodeOf(pod);
        var node = nodeName is null ? null : _context.Cache.Get(NodeKind.Definition, null, nodeName);
        var (terminating, deletionAt) = PodConditionsOf(pod);
        if (nodeName is not null && node is null)
        {
            // Bound to a node that does not exist: a terminating pod goes now; a running one after the grace, in
            // case its node is about to register.
            if (!terminating)
            {
                var since = _missingNodeSince.GetOrAdd(key, now);
                if (now < since + _context.Options.OrphanedPodDeletionGrace)
                {
                    _pods.AddAt(key, since + _context.Options.OrphanedPodDeletionGrace);
                    return;
                }
            }

            _missingNodeSince.TryRemove(key, out _);
            await _context.Writer.ForceDeleteAsync(_context.Cache, PodSchemas.Pod, pod, cancellationToken);
            return;
        }

        _missingNodeSince.TryRemove(key, out _);
        if (!terminating)
        {
            return;
        }

        if (nodeName is null)
        {
            await _context.Writer.ForceDeleteAsync(_context.Cache, PodSchemas.Pod, pod, cancellationToken);
            return;
        }

        var giveUpAt = deletionAt + _context.Options.OrphanedPodDeletionGrace;
        if (now < giveUpAt)
        {
            _pods.AddAt(key, giveUpAt);
            return;
        }

        if (!IsReady(node!))
        {
            await _context.Writer.ForceDeleteAsync(_context.Cache, PodSchemas.Pod, pod, cancellationToken);
        }
    }

    private static (bool Terminating, DateTimeOffset DeletionAt) PodConditionsOf(JsonObject pod) =>
        pod.Metadata().GetString("deletionTimestamp") is { } stamp
            ? (true, DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.MinValue)
            : (false, default);

    private static bool IsReady(JsonObject node) =>
        ((node["status"] as JsonObject)?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(static c => c.GetString("type") == "Ready" && c.GetString("status") == "True") == true;
}
