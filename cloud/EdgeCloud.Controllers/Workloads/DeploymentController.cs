using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Events;
using EdgeCloud.Controllers.Runtime;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads;

/// <summary>
/// The Deployment loop, as kube-controller-manager's: each pass runs one <see cref="DeploymentPlanning.Plan"/> step
/// (create the new ReplicaSet, scale new and old ones within maxSurge/maxUnavailable, clean up history), writes
/// what it decided, records the revision and the status `kubectl rollout status` reads, and comes back when the
/// ReplicaSets or their pods change, or at the progress deadline.
/// </summary>
public sealed class DeploymentController : IClusterController
{
    private const string Manager = "deployment-controller";
    private ClusterContext _context = null!;
    private WorkQueue<string> _deployments = null!;
    private EventRecorder _events = null!;

    /// <inheritdoc />
    public IEnumerable<KindDefinition> Watches => [DeploymentKind.Definition, ReplicaSetKind.Definition, PodSchemas.Pod];

    /// <inheritdoc />
    public void Attach(ClusterContext context)
    {
        _context = context;
        _events = new EventRecorder(context, Manager);
        _deployments = context.Queue("deployment", ReconcileAsync);
        context.Cache.Subscribe(change =>
        {
            if (change.Is(DeploymentKind.Definition))
            {
                _deployments.Add(QueueKey.Of(change.Object));
            }
            else if (change.Is(ReplicaSetKind.Definition) && ControllerRefs.Controller(change.Object) is { } owner && owner.GetString("kind") == "Deployment")
            {
                _deployments.Add(QueueKey.Of(change.Object.Metadata().GetString("namespace")!, owner.GetString("name")!));
            }
        });
    }

    /// <inheritdoc />
    public void Synced()
    {
        foreach (var deployment in _context.Cache.List(DeploymentKind.Definition))
        {
            _deployments.Add(QueueKey.Of(deployment));
        }
    }

    private async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = QueueKey.Split(key);
        var deployment = _context.Cache.Get(DeploymentKind.Definition, ns, name);
        if (deployment is null || deployment.Metadata()["deletionTimestamp"] is not null)
        {
            return;
        }

        var uid = deployment.Metadata().GetString("uid")!;
        var sets = _context.Cache.OwnedBy(ReplicaSetKind.Definition, uid).Where(rs => ControllerRefs.ControllerUid(rs) == uid).ToList();
        var pods = sets.SelectMany(rs => _context.Cache.OwnedBy(PodSchemas.Pod, rs.Metadata().GetString("uid")!)).ToList();
        var plan = DeploymentPlanning.Plan(deployment, sets, pods, _context.Time.GetUtcNow());

        if (plan.Create is { } created)
        {
            try
            {
                await _context.Writer.CreateAsync(_context.Cache, ReplicaSetKind.Definition, created, Manager, cancellationToken);
            }
            catch (KubeApiException exists) when (exists.Code == 409)
            {
                var existing = _context.Cache.Get(ReplicaSetKind.Definition, ns, created.Metadata().GetString("name")!);
                if (existing is not null && DeploymentPlanning.StatusAfterNameConflict(deployment, existing) is { } bumped)
                {
                    await _context.Writer.UpdateStatusAsync(_context.Cache, DeploymentKind.Definition, deployment, bumped, Manager, cancellationToken);
                }

                _deployments.Add(key);
                return;
            }
        }

        foreach (var planned in plan.Update)
        {
            await _context.Writer.UpdateAsync(_context.Cache, ReplicaSetKind.Definition, ns, planned.Metadata().GetString("name")!, current =>
            {
                current["spec"] = planned["spec"]!.DeepClone();
                current.Metadata()["annotations"] = planned.Metadata()["annotations"]?.DeepClone();
                return current;
            }, Manager, cancellationToken);
        }

        foreach (var old in plan.Delete)
        {
            await _context.Writer.DeleteAsync(_context.Cache, ReplicaSetKind.Definition, old, cancellationToken);
        }

        foreach (var note in plan.Events)
        {
            await (note.Type == "Warning"
                ? _events.WarningAsync(DeploymentKind.Definition, deployment, note.Reason, note.Message)
                : _events.NormalAsync(DeploymentKind.Definition, deployment, note.Reason, note.Message));
        }

        var current = deployment;
        if (plan.Revision is { } revision && (deployment.Metadata()["annotations"] as JsonObject)?.GetString(DeploymentPlanning.RevisionAnnotation) != revision)
        {
            current = await _context.Writer.UpdateAsync(_context.Cache, DeploymentKind.Definition, ns, deployment.Metadata().GetString("name")!, d =>
            {
                var annotations = d.Metadata()["annotations"] as JsonObject ?? [];
                annotations[DeploymentPlanning.RevisionAnnotation] = revision;
                d.Metadata()["annotations"] = annotations;
                return d;
            }, Manager, cancellationToken) ?? deployment;
        }

        if (plan.StatusChanged)
        {
            await _context.Writer.UpdateStatusAsync(_context.Cache, DeploymentKind.Definition, current, plan.Status, Manager, cancellationToken);
        }

        if (plan.RequeueAt is { } at)
        {
            _deployments.AddAt(key, at);
        }
    }
}
