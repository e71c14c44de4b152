using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Events;
using EdgeCloud.Controllers.Runtime;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Controllers.Workloads.DaemonSets;

/// <summary>
/// The DaemonSet loop, as kube-controller-manager's: for each daemon set it first keeps the ControllerRevisions
/// (<see cref="DaemonSetHistory"/>: what kubectl rollout history lists and rollout undo restores), then carries out
/// one <see cref="DaemonSetPlanning.Plan"/> over every node and the daemon set's pods (create one pod per fitting
/// node, delete misplaced, failed and rolled-over ones), and writes the status kubectl rollout status reads. The
/// pods it creates name their node through node affinity; the scheduler binds them. Any node change that can
/// alter a fit (added, removed, labels or taints changed) queues every daemon set, since nodes matter to all.
/// </summary>
public sealed partial class DaemonSetController : IClusterController
{
    private const string Manager = "daemonset-controller";
    private readonly FailedPodBackoff _backoff = new();
    private ClusterContext _context = null!;
    private WorkQueue<string> _sets = null!;
    private EventRecorder _events = null!;
    private ILogger _logger = null!;

    /// <inheritdoc />
    public IEnumerable<KindDefinition> Watches => [DaemonSetKind.Definition, NodeKind.Definition, PodSchemas.Pod, ControllerRevisionKind.Definition];

    /// <inheritdoc />
    public void Attach(ClusterContext context)
    {
        _context = context;
        _events = new EventRecorder(context, Manager);
        _logger = context.Loggers.CreateLogger("EdgeCloud.Controllers.DaemonSet");
        _sets = context.Queue("daemonset", ReconcileAsync);
        context.Cache.Subscribe(change =>
        {
            if (change.Is(DaemonSetKind.Definition))
            {
                _sets.Add(QueueKey.Of(change.Object));
            }
            else if (change.Is(NodeKind.Definition))
            {
                if (MayChangeFit(change.Old, change.New))
                {
                    QueueAll();
                }
            }
            else if ((change.Is(PodSchemas.Pod) || change.Is(ControllerRevisionKind.Definition))
                && ControllerRefs.Controller(change.Object) is { } owner && owner.GetString("kind") == DaemonSetKind.Definition.Kind)
            {
                _sets.Add(QueueKey.Of(change.Object.Metadata().GetString("namespace")!, owner.GetString("name")!));
            }
        });
    }

    /// <inheritdoc />
    public void Synced() => QueueAll();

    /// <summary>
    /// Whether a node change can alter where daemons belong: <see cref="DaemonSetNodeFit"/> reads only the name,
    /// the labels and the taints, so status updates and heartbeats queue nothing (upstream shouldIgnoreNodeUpdate).
    /// </summary>
    internal static bool MayChangeFit(JsonObject? old, JsonObject? updated) =>
        old is null || updated is null
        || !JsonNode.DeepEquals(old.Metadata()["labels"], updated.Metadata()["labels"])
        || !JsonNode.DeepEquals(old["spec"]?["taints"], updated["spec"]?["taints"]);

    private void QueueAll()
    {
        foreach (var daemonSet in _context.Cache.List(DaemonSetKind.Definition))
        {
            _sets.Add(QueueKey.Of(daemonSet));
        }
    }

    private async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = QueueKey.Split(key);
        var daemonSet = _context.Cache.Get(DaemonSetKind.Definition, ns, name);
        if (daemonSet is null || daemonSet.Metadata()["deletionTimestamp"] is not null)
        {
            // The garbage collector removes the pods and revisions of a deleted daemon set through their owner references.
            return;
        }

        var uid = daemonSet.Metadata().GetString("uid")!;
        if (!await SyncHistoryAsync(daemonSet, uid, cancellationToken))
        {
            _sets.Add(key);
            return;
        }

        var now = _context.Time.GetUtcNow();
        // Forget nodes whose failed pods stopped long ago (and those of daemon sets that are gone).
        _backoff.Prune(now);
        var plan = DaemonSetPlanning.Plan(daemonSet, _context.Cache.List(NodeKind.Definition), Pods(uid), DaemonSetNodeFit.For(daemonSet), now, _backoff);
        string? error = null;
        try
        {
            foreach (var failed in plan.FailedPods)
            {
                await _events.WarningAsync(DaemonSetKind.Definition, daemonSet, "FailedDaemonPod",
                    $"Found failed daemon pod {ns}/{failed.Metadata().GetString("name")} on node {DaemonSetPods.TargetNode(failed)}, will try to kill it");
            }

            foreach (var pod in plan.PodsToDelete)
            {
                await _context.Writer.DeleteAsync(_context.Cache, PodSchemas.Pod, pod, cancellationToken);
                await _events.NormalAsync(DaemonSetKind.Definition, daemonSet, "SuccessfulDelete", $"Deleted pod: {pod.Metadata().GetString("name")}");
            }
        }
        catch (KubeApiException refused)
        {
            error = refused.Message;
            await _events.WarningAsync(DaemonSetKind.Definition, daemonSet, "FailedDelete", $"Error deleting: {refused.Message}");
        }

        if (error is null && plan.PodsToCreate.Count > 0)
        {
            error = await CreatePodsAsync(daemonSet, plan.PodsToCreate, cancellationToken);
        }

        // The writes are in the cache already: the status counts the pods as they are now.
        var current = _context.Cache.Get(DaemonSetKind.Definition, ns, name) ?? daemonSet;
        var after = DaemonSetPlanning.Plan(current, _context.Cache.List(NodeKind.Definition), Pods(uid), DaemonSetNodeFit.For(current), _context.Time.GetUtcNow());
        await _context.Writer.UpdateStatusAsync(_context.Cache, DaemonSetKind.Definition, current, after.Status, Manager, cancellationToken);

        if (Earliest(plan.RequeueAfter, after.RequeueAfter) is { } wait)
        {
            _sets.AddAfter(key, wait);
        }

        if (error is not null)
        {
            // The queue retries with back-off.
            throw new InvalidOperationException($"daemon set {key}: {error}");
        }
    }

    /// <summary>Carries out <see cref="DaemonSetHistory.Plan"/>; false when a hash collision was recorded and the sync must start over.</summary>
    private async Task<bool> SyncHistoryAsync(JsonObject daemonSet, string uid, CancellationToken cancellationToken)
    {
        var metadata = daemonSet.Metadata();
        var ns = metadata.GetString("namespace");
        var revisions = _context.Cache.OwnedBy(ControllerRevisionKind.Definition, uid).Where(r => ControllerRefs.ControllerUid(r) == uid).ToList();
        var history = DaemonSetHistory.Plan(daemonSet, revisions, Pods(uid));
        if (history.HashCollision)
        {
            await RecordCollisionAsync(daemonSet, cancellationToken);
            return false;
        }

        if (history.Create is { } created)
        {
            try
            {
                await _context.Writer.CreateAsync(_context.Cache, ControllerRevisionKind.Definition, created, Manager, cancellationToken);
            }
            catch (KubeApiException exists) when (exists.Code == 409)
            {
                // A revision of that name that is not ours (orphaned, or another owner's): a new hash avoids it.
                await RecordCollisionAsync(daemonSet, cancellationToken);
                return false;
            }
        }

        if (history.Update is { } renumbered)
        {
            await _context.Writer.UpdateAsync(_context.Cache, ControllerRevisionKind.Definition, ns, renumbered.Metadata().GetString("name")!, revision =>
            {
                revision["revision"] = renumbered["revision"]!.DeepClone();
                return revision;
            }, Manager, cancellationToken);
        }

        foreach (var old in history.Delete)
        {
            await _context.Writer.DeleteAsync(_context.Cache, ControllerRevisionKind.Definition, old, cancellationToken);
        }

        return true;
    }

    private async Task RecordCollisionAsync(JsonObject daemonSet, CancellationToken cancellationToken)
    {
        var status = daemonSet["status"]?.DeepClone() as JsonObject ?? [];
        var count = DaemonSetPods.Integer(status["collisionCount"]) ?? 0;
        status["collisionCount"] = count + 1;
        LogHashCollision(_logger, QueueKey.Of(daemonSet), count + 1);
        await _context.Writer.UpdateStatusAsync(_context.Cache, DaemonSetKind.Definition, daemonSet, status, Manager, cancellationToken);
    }

    /// <summary>
    /// Creates <paramref name="pods"/> in growing batches (1, 2, 4, ...), as upstream's slow start does, stopping at
    /// the first batch with a failure (a quota or admission refusal would refuse the rest too). Returns the error.
    /// </summary>
    private async Task<string?> CreatePodsAsync(JsonObject daemonSet, IReadOnlyList<JsonObject> pods, CancellationToken cancellationToken)
    {
        var next = 0;
        for (var batch = 1; next < pods.Count; batch *= 2)
        {
            var size = Math.Min(batch, pods.Count - next);
            var results = await Task.WhenAll(pods.Skip(next).Take(size).Select(pod => CreatePodAsync(pod, cancellationToken)));
            next += size;
            string? error = null;
            foreach (var (created, failure) in results)
            {
                if (created is not null)
                {
                    await _events.NormalAsync(DaemonSetKind.Definition, daemonSet, "SuccessfulCreate", $"Created pod: {created.Metadata().GetString("name")}");
                }
                else
                {
                    error ??= failure;
                    await _events.WarningAsync(DaemonSetKind.Definition, daemonSet, "FailedCreate", $"Error creating: {failure}");
                }
            }

            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private async Task<(JsonObject? Created, string? Error)> CreatePodAsync(JsonObject pod, CancellationToken cancellationToken)
    {
        try
        {
            return (await _context.Writer.CreateAsync(_context.Cache, PodSchemas.Pod, pod, Manager, cancellationToken), null);
        }
        catch (KubeApiException refused)
        {
            return (null, refused.Message);
        }
    }

    // The pods whose controller is the daemon set (upstream also adopts orphans matching the selector; pods here are
    // only ever made by this loop).
    private List<JsonObject> Pods(string uid) =>
        _context.Cache.OwnedBy(PodSchemas.Pod, uid).Where(p => ControllerRefs.ControllerUid(p) == uid).ToList();

    private static TimeSpan? Earliest(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "daemon set {DaemonSet}: template hash collides with a revision that is not its own; collisionCount is now {CollisionCount}")]
    private static partial void LogHashCollision(ILogger logger, string daemonSet, long collisionCount);
}
