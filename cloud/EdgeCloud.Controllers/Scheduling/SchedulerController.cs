using System.Text.Json.Nodes;
using EdgeCloud.Controllers.Events;
using EdgeCloud.Controllers.Informers;
using EdgeCloud.Controllers.Runtime;
using EdgeCloud.Controllers.Workloads;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Schema;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Scheduling;

/// <summary>
/// The default scheduler of one cluster, as kube-scheduler: pending pods of schedulerName default-scheduler are
/// placed by <see cref="PodScheduler"/> over a <see cref="SchedulerCache"/> kept from the cluster cache, assumed
/// at once (so the next pod sees the resources taken) and bound asynchronously through the binding rules, many
/// bindings in flight. A pod no node fits gets PodScheduled=False with the reason and a FailedScheduling event,
/// and is tried again when nodes change or pods go away.
/// </summary>
public sealed class SchedulerController : IClusterController
{
    /// <summary>The scheduler name pods get by default.</summary>
    public const string DefaultSchedulerName = "default-scheduler";

    private const string Component = "default-scheduler";
    private readonly PodScheduler _scheduler = new();
    private readonly SchedulerCache _nodes = new();
    private readonly Lock _lock = new();
    private readonly HashSet<string> _unschedulable = new(StringComparer.Ordinal);
    private ClusterContext _context = null!;
    private WorkQueue<string> _pending = null!;
    private EventRecorder _events = null!;
    private SemaphoreSlim _bindings = null!;

    /// <inheritdoc />
    public IEnumerable<KindDefinition> Watches => [PodSchemas.Pod, NodeKind.Definition];

    /// <inheritdoc />
    public void Attach(ClusterContext context)
    {
        _context = context;
        _events = new EventRecorder(context, Component);
        _bindings = new SemaphoreSlim(context.Options.MaxBindingsInFlight);
        _pending = context.Queue("scheduler", ScheduleAsync);
        context.Cache.Subscribe(OnChange);
    }

    /// <inheritdoc />
    public void Synced()
    {
    }

    private void OnChange(ObjectChange change)
    {
        if (change.Is(NodeKind.Definition))
        {
            lock (_lock)
            {
                if (change.New is { } node)
                {
                    _nodes.AddOrUpdateNode(NodeSnapshot.FromNode(node));
                }
                else
                {
                    _nodes.RemoveNode(change.Old!.Metadata().GetString("name")!);
                }
            }

            RetryUnschedulable();
            return;
        }

        var key = QueueKey.Of(change.Object);
        var pod = change.New;
        if (pod is null || !PodConditions.IsActive(pod) && ClusterCache.NodeOf(pod) is not null)
        {
            // Gone or finished: its resources are free again.
            bool released;
            lock (_lock)
            {
                released = _nodes.RemovePod(key);
                _unschedulable.Remove(key);
            }

            if (released)
            {
                RetryUnschedulable();
            }

            return;
        }

        if (ClusterCache.NodeOf(pod) is { } bound)
        {
            lock (_lock)
            {
                if (_nodes.NodeOfPod(key) != bound)
                {
                    _nodes.AddPod(key, PodRequirements.FromPod(pod), bound);
                }
            }

            return;
        }

        if (IsOurs(pod))
        {
            _pending.Add(key);
        }
    }

    private async Task ScheduleAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = QueueKey.Split(key);
        var pod = _context.Cache.Get(PodSchemas.Pod, ns, name);
        if (pod is null || ClusterCache.NodeOf(pod) is not null || !IsOurs(pod))
        {
            return;
        }

        var requirements = PodRequirements.FromPod(pod);
        SchedulingResult result;
        lock (_lock)
        {
            result = _scheduler.Schedule(requirements, _nodes);
            if (result.Succeeded)
            {
                // Assumed now, so the next pod sees the node's resources taken before the binding lands.
                _nodes.AddPod(key, requirements, result.NodeName!);
                _unschedulable.Remove(key);
            }
            else
            {
                _unschedulable.Add(key);
            }
        }

        if (!result.Succeeded)
        {
            await MarkUnschedulableAsync(pod, result.Message, cancellationToken);
            return;
        }

        await _bindings.WaitAsync(cancellationToken);
        _ = BindAsync(key, pod, result.NodeName!, cancellationToken);
    }

    private async Task BindAsync(string key, JsonObject pod, string node, CancellationToken cancellationToken)
    {
        var metadata = pod.Metadata();
        try
        {
            if (await _context.Writer.BindAsync(_context.Cache, metadata.GetString("namespace")!, metadata.GetString("name")!, metadata.GetString("uid")!, node, cancellationToken))
            {
                await _events.NormalAsync(PodSchemas.Pod, pod, "Scheduled", $"Successfully assigned {metadata.GetString("namespace")}/{metadata.GetString("name")} to {node}");
                return;
            }

            // Bound elsewhere, deleted or replaced meanwhile: forget the assumption; a replaced pod comes back through its own event.
            Forget(key, node);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            Forget(key, node);
            _pending.AddAfter(key, WorkQueue<string>.FirstRetryDelay);
        }
        finally
        {
            _bindings.Release();
        }
    }

    private void Forget(string key, string node)
    {
        var (ns, name) = QueueKey.Split(key);
        var pod = _context.Cache.Get(PodSchemas.Pod, ns, name);
        lock (_lock)
        {
            // Keep what the cluster says: a pod bound to this node meanwhile (by us, through another path) stays counted.
            if (_nodes.NodeOfPod(key) == node && (pod is null || ClusterCache.NodeOf(pod) != node))
            {
                _nodes.RemovePod(key);
            }
        }
    }

    private async Task MarkUnschedulableAsync(JsonObject pod, string message, CancellationToken cancellationToken)
    {
        var existing = ((pod["status"] as JsonObject)?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(static c => c.GetString("type") == "PodScheduled");
        if (existing?.GetString("status") == "False" && existing.GetString("message") == message)
        {
            return;
        }

        var status = (pod["status"] as JsonObject)?.DeepClone().AsObject() ?? [];
        var conditions = (status["conditions"] as JsonArray)?.OfType<JsonObject>().Where(static c => c.GetString("type") != "PodScheduled").Select(static c => (JsonNode)c.DeepClone()).ToList() ?? [];
        conditions.Add(new JsonObject
        {
            ["type"] = "PodScheduled",
            ["status"] = "False",
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = existing?.GetString("status") == "False" ? existing.GetString("lastTransitionTime") : ResourceStore.Timestamp(_context.Time.GetUtcNow()),
            ["reason"] = SchedulingResult.UnschedulableReason,
            ["message"] = message,
        });
        status["conditions"] = new JsonArray([.. conditions]);
        status["phase"] ??= "Pending";
        await _context.Writer.UpdateStatusAsync(_context.Cache, PodSchemas.Pod, pod, status, Component, cancellationToken);
        await _events.WarningAsync(PodSchemas.Pod, pod, "FailedScheduling", message);
    }

    private void RetryUnschedulable()
    {
        string[] waiting;
        lock (_lock)
        {
            waiting = [.. _unschedulable];
        }

        foreach (var key in waiting)
        {
            _pending.Add(key);
        }
    }

    private static bool IsOurs(JsonObject pod) =>
        !PodConditions.IsTerminating(pod) && ((pod["spec"] as JsonObject)?.GetString("schedulerName") ?? DefaultSchedulerName) == DefaultSchedulerName;
}
