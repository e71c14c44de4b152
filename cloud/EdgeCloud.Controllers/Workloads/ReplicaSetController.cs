using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Events;
using EdgeCloud.Controllers.Runtime;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads;

/// <summary>
/// The ReplicaSet loop, as kube-controller-manager's: keeps spec.replicas active pods of each ReplicaSet (creating
/// them from its template, deleting the cheapest extras per <see cref="ReplicaSetPlanning"/>), and writes the status
/// `kubectl get rs` and the Deployment controller read. Pods are found through the cache's owner index.
/// </summary>
public sealed class ReplicaSetController : IClusterController
{
    private const string Manager = "replicaset-controller";
    private ClusterContext _context = null!;
    private WorkQueue<string> _sets = null!;
    private EventRecorder _events = null!;

    /// <inheritdoc />
    public IEnumerable<KindDefinition> Watches => [ReplicaSetKind.Definition, PodSchemas.Pod];

    /// <inheritdoc />
    public void Attach(ClusterContext context)
    {
        _context = context;
        _events = new EventRecorder(context, Manager);
        _sets = context.Queue("replicaset", ReconcileAsync);
        context.Cache.Subscribe(change =>
        {
            if (change.Is(ReplicaSetKind.Definition))
            {
                _sets.Add(QueueKey.Of(change.Object));
            }
            else if (change.Is(PodSchemas.Pod) && ControllerRefs.Controller(change.Object) is { } owner && owner.GetString("kind") == "ReplicaSet")
            {
                _sets.Add(QueueKey.Of(change.Object.Metadata().GetString("namespace")!, owner.GetString("name")!));
            }
        });
    }

    /// <inheritdoc />
    public void Synced()
    {
        foreach (var rs in _context.Cache.List(ReplicaSetKind.Definition))
        {
            _sets.Add(QueueKey.Of(rs));
        }
    }

    private async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = QueueKey.Split(key);
        var rs = _context.Cache.Get(ReplicaSetKind.Definition, ns, name);
        if (rs is null || rs.Metadata()["deletionTimestamp"] is not null)
        {
            return;
        }

        var owned = _context.Cache.OwnedBy(PodSchemas.Pod, rs.Metadata().GetString("uid")!).Where(p => ControllerRefs.ControllerUid(p) == rs.Metadata().GetString("uid")).ToList();
        var active = ReplicaSetPlanning.ActivePods(rs, owned);
        var scale = ReplicaSetPlanning.Scale(rs, active, owned);
        string? error = null;
        try
        {
            if (scale.Create > 0)
            {
                await CreatePodsAsync(rs, scale.Create, cancellationToken);
            }

            foreach (var pod in scale.Delete)
            {
                await _context.Writer.DeleteAsync(_context.Cache, PodSchemas.Pod, pod, cancellationToken);
                await _events.NormalAsync(ReplicaSetKind.Definition, rs, "SuccessfulDelete", $"Deleted pod: {pod.Metadata().GetString("name")}");
            }
        }
        catch (KubeApiException failed)
        {
            error = failed.Message;
            await _events.WarningAsync(ReplicaSetKind.Definition, rs, scale.Create > 0 ? "FailedCreate" : "FailedDelete", failed.Message);
        }

        var fresh = _context.Cache.OwnedBy(PodSchemas.Pod, rs.Metadata().GetString("uid")!).Where(p => ControllerRefs.ControllerUid(p) == rs.Metadata().GetString("uid")).ToList();
        var report = ReplicaSetPlanning.Status(rs, ReplicaSetPlanning.ActivePods(rs, fresh), error, _context.Time.GetUtcNow());
        if (report.Changed)
        {
            await _context.Writer.UpdateStatusAsync(_context.Cache, ReplicaSetKind.Definition, rs, report.Status, Manager, cancellationToken);
        }

        if (report.RecheckAt is { } at)
        {
            _sets.AddAt(key, at);
        }

        if (error is not null)
        {
            throw new InvalidOperationException($"replica set {key}: {error}");
        }
    }

    /// <summary>Creates pods in growing batches (1, 2, 4, ...), as upstream's slow start, stopping at the first failure.</summary>
    private async Task CreatePodsAsync(JsonObject rs, int count, CancellationToken cancellationToken)
    {
        var template = rs["spec"]?["template"] as JsonObject ?? [];
        var name = rs.Metadata().GetString("name")!;
        var created = 0;
        for (var batch = 1; created < count; batch = Math.Min(batch * 2, count - created))
        {
            var size = Math.Min(batch, count - created);
            var pods = await Task.WhenAll(Enumerable.Range(0, size).Select(_ =>
                _context.Writer.CreateAsync(_context.Cache, PodSchemas.Pod, PodFromTemplate.Build(template, ReplicaSetKind.Definition, rs, name + "-"), Manager, cancellationToken)));
            created += size;
            foreach (var pod in pods)
            {
                await _events.NormalAsync(ReplicaSetKind.Definition, rs, "SuccessfulCreate", $"Created pod: {pod.Metadata().GetString("name")}");
            }
        }
    }
}
