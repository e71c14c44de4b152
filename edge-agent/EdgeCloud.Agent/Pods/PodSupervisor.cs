using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using EdgeCloud.Agent.Cloud;
using EdgeCloud.Agent.Runtime;

namespace EdgeCloud.Agent.Pods;

/// <summary>
/// The pods this node runs: one <see cref="PodWorker"/> per pod uid, fed from the cloud's watch (through
/// <see cref="PodSource"/>) or, at start, from the <see cref="PodCache"/>, so that pods run before and without a
/// cloud connection. Deleted pods are terminated here and their deletion finished in the cloud once reachable.
/// </summary>
internal sealed class PodSupervisor : IAsyncDisposable
{
    private readonly PodCache _cache;
    private readonly PodWorkerContext _context;
    private readonly ConcurrentDictionary<string, PodWorker> _workers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PodPlan> _deletionsReady = new(StringComparer.Ordinal);
    private readonly Channel<bool> _deletionSignal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _lock = new();

    /// <summary>
    /// Uids forgotten lately, oldest first: a watch event still in flight for a pod already stopped and removed (its
    /// own status write, say) must not start it again. Uids are never reused, so a tombstone is never wrong; only an
    /// authoritative list (<see cref="SyncAsync"/>) lifts one, for a pod whose deletion did not reach the cloud.
    /// </summary>
    private readonly LinkedList<string> _tombstoneOrder = new();
    private readonly HashSet<string> _tombstones = new(StringComparer.Ordinal);
    private const int MaxTombstones = 4096;

    public PodSupervisor(PodCache cache, PodWorkerContext context)
    {
        _cache = cache;
        _context = context with { DeletionReady = OnDeletionReady };
    }

    /// <summary>The runtime the pods run on.</summary>
    public IContainerRuntime Runtime => _context.Runtime;

    /// <summary>Pods with a worker now.</summary>
    public int Count => _workers.Count;

    /// <summary>
    /// Starts the cached pods (before any contact with the cloud), each adopting what the runtime still runs of it,
    /// and removes the runtime's containers of pods the cache no longer has (left by a run that died mid-removal).
    /// </summary>
    public async Task StartFromCacheAsync(CancellationToken cancellationToken)
    {
        var pods = _cache.LoadPods();
        PodLog.StartingFromCache(_context.Logger, pods.Count);
        var existing = (await _context.Runtime.ListAsync(cancellationToken)).ToLookup(static c => c.PodUid, StringComparer.Ordinal);
        var cached = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (PodPlan.Text(pod["metadata"]?["uid"]) is { } uid)
            {
                cached.Add(uid);
                Apply(pod, persist: false, [.. existing[uid]]);
            }
        }

        foreach (var orphan in existing.Where(g => !cached.Contains(g.Key)).SelectMany(static g => g))
        {
            PodLog.OrphanRemoved(_context.Logger, orphan.PodNamespace, orphan.PodName, orphan.ContainerName);
            await _context.Runtime.StopAsync(orphan.Id, TimeSpan.FromSeconds(10), cancellationToken);
            await _context.Runtime.RemoveAsync(orphan.Id, cancellationToken);
        }
    }

    /// <summary>A pod bound to this node, new or changed.</summary>
    public void Apply(JsonObject pod) => Apply(pod, persist: true, []);

    /// <summary>The cloud's full list of this node's pods: apply each, forget every other.</summary>
    public async Task SyncAsync(IReadOnlyList<JsonObject> pods)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (PodPlan.Text(pod["metadata"]?["uid"]) is { } uid)
            {
                listed.Add(uid);
                lock (_lock)
                {
                    if (_tombstones.Remove(uid))
                    {
                        _tombstoneOrder.Remove(uid);
                    }
                }
            }

            Apply(pod);
        }

        var gone = _cache.LoadPods().Select(static p => PodPlan.Text(p["metadata"]?["uid"])).OfType<string>()
            .Concat(_workers.Keys).Where(uid => !listed.Contains(uid)).Distinct(StringComparer.Ordinal).ToList();
        await Task.WhenAll(gone.Select(ForgetAsync));
    }

    /// <summary>The pod is gone from the cloud: stop and remove its containers and forget it.</summary>
    public async Task ForgetAsync(string uid)
    {
        lock (_lock)
        {
            if (_tombstones.Add(uid))
            {
                _tombstoneOrder.AddLast(uid);
                if (_tombstoneOrder.Count > MaxTombstones)
                {
                    _tombstones.Remove(_tombstoneOrder.First!.Value);
                    _tombstoneOrder.RemoveFirst();
                }
            }
        }

        _cache.RemovePod(uid);
        _deletionsReady.TryRemove(uid, out _);
        // Whoever takes the worker out stops it: the watch's DELETED and a finished deletion may both get here.
        if (_workers.TryRemove(uid, out var worker))
        {
            PodLog.Forgotten(_context.Logger, worker.Plan.Namespace, worker.Plan.Name);
            await worker.ForgetAsync();
            await worker.DisposeAsync();
        }
    }

    /// <summary>The runtime container id of a container of a pod (its previous attempt with <paramref name="previous"/>), or null.</summary>
    public string? FindContainer(string ns, string name, string container, bool previous) =>
        _workers.Values.FirstOrDefault(w => w.Plan.Namespace == ns && w.Plan.Name == name)?.ContainerId(container, previous);

    /// <summary>Finishes in the cloud the deletions whose containers have stopped, until <paramref name="cancellationToken"/> fires or the API fails.</summary>
    public async Task FinishDeletionsAsync(ClusterApi api, CancellationToken cancellationToken)
    {
        while (true)
        {
            foreach (var (uid, plan) in _deletionsReady)
            {
                // Containers and pod directory go first, so that a pod gone from the API has left nothing on the
                // node. Should the delete below fail, the pod (still terminating in the cloud) comes back with the
                // next list or watch, finds nothing to stop, and its deletion is finished then.
                await ForgetAsync(uid);
                // Grace 0 with the uid as precondition: the agent has stopped this pod, not a newer one of that name.
                await api.DeleteAsync($"api/v1/namespaces/{plan.Namespace}/pods/{plan.Name}", new JsonObject { ["gracePeriodSeconds"] = 0, ["preconditions"] = new JsonObject { ["uid"] = uid } }, cancellationToken);
            }

            await _deletionSignal.Reader.ReadAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers.Values)
        {
            await worker.DisposeAsync();
        }

        _workers.Clear();
    }

    private void Apply(JsonObject pod, bool persist, IReadOnlyList<ContainerState> adopted)
    {
        PodPlan plan;
        try
        {
            plan = PodPlan.Parse(pod);
        }
        catch (FormatException e)
        {
            PodLog.Unreadable(_context.Logger, e.Message);
            return;
        }

        lock (_lock)
        {
            if (_tombstones.Contains(plan.Uid))
            {
                return;
            }

            if (persist)
            {
                _cache.PutPod(plan.Uid, plan.Namespace, plan.Name, pod);
            }

            if (_workers.TryGetValue(plan.Uid, out var worker))
            {
                worker.Update(plan);
                return;
            }

            worker = new PodWorker(plan, _context, adopted);
            _workers[plan.Uid] = worker;
            worker.Start();
        }
    }

    private void OnDeletionReady(PodPlan plan)
    {
        _deletionsReady[plan.Uid] = plan;
        _deletionSignal.Writer.TryWrite(true);
    }
}
