using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Events;
using EdgeCloud.Controllers.Runtime;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Controllers.Workloads.Jobs;

/// <summary>
/// The Job loop, as kube-controller-manager's job and TTL-after-finished controllers: each pass plans one sync with
/// <see cref="JobPlanning.Plan"/> over the pods the Job controls, writes the Job's status first (it records finished
/// pods as uncounted), then lets go of those pods' tracking finalizers, deletes and creates pods, and records the
/// decisions as Events. It comes back when the Job or its pods change, when the failure back-off or the active
/// deadline runs out, and when the TTL after finishing expires; the Job is then deleted, its pods first (foreground
/// semantics). Pods of a Job that is gone or being deleted lose their tracking finalizer, so none hangs in Terminating.
/// </summary>
public sealed partial class JobController : IClusterController
{
    private const string Manager = "job-controller";
    private ClusterContext _context = null!;
    private WorkQueue<string> _jobs = null!;
    private EventRecorder _events = null!;
    private ILogger _logger = null!;

    /// <inheritdoc />
    public IEnumerable<KindDefinition> Watches => [JobKind.Definition, PodSchemas.Pod];

    /// <inheritdoc />
    public void Attach(ClusterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _events = new EventRecorder(context, Manager);
        _logger = context.Loggers.CreateLogger("EdgeCloud.Controllers.Job");
        _jobs = context.Queue("job", ReconcileAsync);
        context.Cache.Subscribe(change =>
        {
            if (change.Is(JobKind.Definition))
            {
                _jobs.Add(QueueKey.Of(change.Object));
            }
            else if (change.Is(PodSchemas.Pod) && JobOf(change.Object) is { } key)
            {
                _jobs.Add(key);
            }
        });
    }

    /// <inheritdoc />
    public void Synced()
    {
        foreach (var job in _context.Cache.List(JobKind.Definition))
        {
            _jobs.Add(QueueKey.Of(job));
        }

        // Pods whose Job went while no replica led the cluster still need their finalizer removed.
        foreach (var pod in _context.Cache.List(PodSchemas.Pod))
        {
            if (JobPods.HasTrackingFinalizer(pod) && JobOf(pod) is { } key)
            {
                _jobs.Add(key);
            }
        }
    }

    private async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = QueueKey.Split(key);
        var job = _context.Cache.Get(JobKind.Definition, ns, name);
        if (job is null || job.Metadata()["deletionTimestamp"] is not null)
        {
            await ReleaseLeftoverPodsAsync(ns, name, job, cancellationToken);
            return;
        }

        var uid = job.Metadata().GetString("uid")!;
        var now = _context.Time.GetUtcNow();
        var plan = JobPlanning.Plan(job, PodsOf(uid), now);

        // Status first: a finished pod is recorded as uncounted before its finalizer goes, so a crash between the
        // two steps can neither lose it nor count it twice.
        var stored = await _context.Writer.UpdateStatusAsync(_context.Cache, JobKind.Definition, job, plan.Status, Manager, cancellationToken);
        if (stored is null)
        {
            return;
        }

        foreach (var pod in plan.PodsToRemoveFinalizer)
        {
            await RemoveTrackingFinalizerAsync(pod, cancellationToken);
        }

        foreach (var pod in plan.PodsToDelete)
        {
            await _context.Writer.DeleteAsync(_context.Cache, PodSchemas.Pod, pod, cancellationToken);
            await _events.NormalAsync(JobKind.Definition, stored, "SuccessfulDelete", $"Deleted pod: {pod.Metadata().GetString("name")}");
        }

        string? failure = null;
        foreach (var pod in plan.PodsToCreate)
        {
            try
            {
                var created = await _context.Writer.CreateAsync(_context.Cache, PodSchemas.Pod, pod, Manager, cancellationToken);
                await _events.NormalAsync(JobKind.Definition, stored, "SuccessfulCreate", $"Created pod: {created.Metadata().GetString("name")}");
            }
            catch (KubeApiException refused)
            {
                // Like upstream, the rest of this sync's creations are skipped; the queue retries with back-off.
                failure = refused.Message;
                await _events.WarningAsync(JobKind.Definition, stored, "FailedCreate", $"Error creating: {refused.Message}");
                break;
            }
        }

        foreach (var decision in plan.Events)
        {
            await (decision.Type == "Warning"
                ? _events.WarningAsync(JobKind.Definition, stored, decision.Reason, decision.Message)
                : _events.NormalAsync(JobKind.Definition, stored, decision.Reason, decision.Message));
        }

        if (plan.RequeueAfter is { } wait)
        {
            // From the instant the plan was made, not from now: the back-off and the deadline are absolute.
            _jobs.AddAt(key, now + wait);
        }

        if (JobTtl.ExpiresAt(stored) is { } expires)
        {
            if (expires <= now)
            {
                await ExpireAsync(stored, cancellationToken);
            }
            else
            {
                _jobs.AddAt(key, expires);
            }
        }

        if (failure is not null)
        {
            throw new InvalidOperationException($"job {key}: {failure}");
        }
    }

    /// <summary>
    /// Deletes a Job whose TTL after finishing ran out, with foreground semantics: its pods go first, and the Job
    /// itself once none is left (each pod's removal brings the Job back here).
    /// </summary>
    private async Task ExpireAsync(JsonObject job, CancellationToken cancellationToken)
    {
        var pods = PodsOf(job.Metadata().GetString("uid")!);
        foreach (var pod in pods)
        {
            if (JobPods.HasTrackingFinalizer(pod))
            {
                await RemoveTrackingFinalizerAsync(pod, cancellationToken);
            }

            if (_context.Cache.Get(PodSchemas.Pod, pod.Metadata().GetString("namespace"), pod.Metadata().GetString("name")!) is { } current)
            {
                await _context.Writer.DeleteAsync(_context.Cache, PodSchemas.Pod, current, cancellationToken);
            }
        }

        if (PodsOf(job.Metadata().GetString("uid")!).Count > 0)
        {
            return;
        }

        LogExpired(_logger, job.Metadata().GetString("namespace") ?? "", job.Metadata().GetString("name") ?? "");
        await _context.Writer.DeleteAsync(_context.Cache, JobKind.Definition, job, cancellationToken);
    }

    // The Job is gone or being deleted: nothing will count its pods any more, so none may keep the finalizer.
    private async Task ReleaseLeftoverPodsAsync(string ns, string name, JsonObject? job, CancellationToken cancellationToken)
    {
        var uid = job?.Metadata().GetString("uid");
        foreach (var pod in _context.Cache.List(PodSchemas.Pod, ns))
        {
            if (!JobPods.HasTrackingFinalizer(pod) || ControllerRefs.Controller(pod) is not { } owner
                || owner.GetString("kind") != JobKind.Definition.Kind || owner.GetString("name") != name)
            {
                continue;
            }

            if (job is null || owner.GetString("uid") == uid)
            {
                await RemoveTrackingFinalizerAsync(pod, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Removes <see cref="JobPods.TrackingFinalizer"/> from <paramref name="pod"/>; a pod being deleted with no grace
    /// left then goes, as the API server removes an object whose last finalizer is gone.
    /// </summary>
    private async Task RemoveTrackingFinalizerAsync(JsonObject pod, CancellationToken cancellationToken)
    {
        var metadata = pod.Metadata();
        var uid = metadata.GetString("uid");
        var updated = await _context.Writer.UpdateAsync(_context.Cache, PodSchemas.Pod, metadata.GetString("namespace"), metadata.GetString("name")!, current =>
        {
            if (current.Metadata().GetString("uid") != uid || current.Metadata()["finalizers"] is not JsonArray finalizers)
            {
                return null;
            }

            var kept = finalizers.Where(f => !(f is JsonValue v && v.TryGetValue<string>(out var s) && s == JobPods.TrackingFinalizer)).Select(f => f?.DeepClone()).ToArray();
            if (kept.Length == finalizers.Count)
            {
                return null;
            }

            if (kept.Length == 0)
            {
                current.Metadata().Remove("finalizers");
            }
            else
            {
                current.Metadata()["finalizers"] = new JsonArray(kept);
            }

            return current;
        }, Manager, cancellationToken);

        if (updated is not null && updated.Metadata()["deletionTimestamp"] is not null && updated.Metadata()["finalizers"] is not JsonArray { Count: > 0 }
            && JobTtl.Integer(updated.Metadata()["deletionGracePeriodSeconds"]) is null or 0)
        {
            await _context.Writer.ForceDeleteAsync(_context.Cache, PodSchemas.Pod, updated, cancellationToken);
        }
    }

    private List<JsonObject> PodsOf(string jobUid) =>
        _context.Cache.OwnedBy(PodSchemas.Pod, jobUid).Where(p => ControllerRefs.ControllerUid(p) == jobUid).ToList();

    private static string? JobOf(JsonObject pod) =>
        ControllerRefs.Controller(pod) is { } owner && owner.GetString("kind") == JobKind.Definition.Kind && owner.GetString("apiVersion") == JobKind.Definition.ApiVersion
            ? QueueKey.Of(pod.Metadata().GetString("namespace")!, owner.GetString("name")!)
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleting job {Namespace}/{Name}: its ttlSecondsAfterFinished has passed")]
    private static partial void LogExpired(ILogger logger, string @namespace, string name);
}
