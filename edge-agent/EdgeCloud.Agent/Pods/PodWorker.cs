using System.Threading.Channels;
using EdgeCloud.Agent.Runtime;

namespace EdgeCloud.Agent.Pods;

/// <summary>
/// Keeps one pod's containers as its spec and restart policy say, whether or not the cloud is reachable: starts
/// init containers in order, then the containers; restarts exited ones per restartPolicy with kubelet's crash
/// back-off (immediately, then 10 s doubling to 5 min); runs liveness and readiness probes; reports status on
/// every change; terminates gracefully when the pod is deleted. After an agent restart it adopts the containers
/// the runtime still has for this pod instead of starting new ones.
/// </summary>
internal sealed partial class PodWorker : IAsyncDisposable
{
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan FirstBackOff = TimeSpan.FromSeconds(10);

    private readonly PodWorkerContext _context;
    private readonly string _podDirectory;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, ContainerSlot> _slots = new(StringComparer.Ordinal);
    private volatile PodPlan _plan;
    private volatile bool _forget;
    private Task _run = Task.CompletedTask;
    private DateTimeOffset? _startTime;
    private bool _deletionReported;
    private int _disposed;

    private readonly IReadOnlyList<ContainerState> _adopted;

    /// <summary>
    /// A worker for <paramref name="plan"/>; <paramref name="adopted"/> are the runtime's containers of this pod from an
    /// earlier agent run (listed once for all pods when the agent starts; a pod first seen in this run has none).
    /// </summary>
    public PodWorker(PodPlan plan, PodWorkerContext context, IReadOnlyList<ContainerState> adopted)
    {
        _plan = plan;
        _adopted = adopted;
        _context = context;
        _podDirectory = Path.Combine(context.PodsDirectory, plan.Uid);
        foreach (var container in plan.InitContainers)
        {
            _slots[container.Name] = new ContainerSlot(container, init: true);
        }

        foreach (var container in plan.Containers)
        {
            _slots[container.Name] = new ContainerSlot(container, init: false);
        }
    }

    public string Uid => _plan.Uid;

    public PodPlan Plan => _plan;

    /// <summary>Completes when the worker has stopped (the pod was forgotten, or its deletion finished).</summary>
    public Task Completion => _run;

    public void Start() => _run = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>A newer version of the pod (its spec is immutable; deletion is what matters).</summary>
    public void Update(PodPlan plan)
    {
        _plan = plan;
        Wake();
    }

    /// <summary>The pod is gone from the cloud (or was never ours): stop its containers, remove them and the pod directory.</summary>
    public Task ForgetAsync()
    {
        _forget = true;
        Wake();
        return _run;
    }

    /// <summary>The runtime container id of <paramref name="container"/> (its previous attempt with <paramref name="previous"/>), for logs and exec.</summary>
    public string? ContainerId(string container, bool previous) =>
        _slots.TryGetValue(container, out var slot) ? (previous ? slot.LastTerminated?.Id : slot.Id) : null;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }

        // _stop is not disposed: exit watches of this worker may still hold its token; it has no timer to release.
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(_podDirectory);
            await AdoptAsync(_adopted, cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                var plan = _plan;
                if (_forget || plan.Deleting)
                {
                    await TerminateAsync(plan.StopGracePeriod, cancellationToken);
                    Report();
                    if (_forget)
                    {
                        await RemoveAsync(cancellationToken);
                        return;
                    }

                    if (!_deletionReported)
                    {
                        _deletionReported = true;
                        _context.DeletionReady(plan);
                    }

                    await WaitAsync(null, cancellationToken);
                    continue;
                }

                var now = _context.Time.GetUtcNow();
                _startTime ??= now;
                await ReconcileAsync(now, cancellationToken);
                await ProbeAsync(cancellationToken);
                Report();
                await WaitAsync(NextDeadline(), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            PodLog.WorkerFailed(_context.Logger, _plan.Namespace, _plan.Name, e);
        }
    }

    /// <summary>Takes over what the runtime still has of this pod (an earlier agent run): the newest attempt per container, and the one before as lastState.</summary>
    private async Task AdoptAsync(IReadOnlyList<ContainerState> existing, CancellationToken cancellationToken)
    {
        foreach (var group in existing.GroupBy(static c => c.ContainerName))
        {
            if (!_slots.TryGetValue(group.Key, out var slot))
            {
                continue;
            }

            var attempts = group.OrderByDescending(static c => c.Attempt).ToList();
            slot.Id = attempts[0].Id;
            slot.Attempt = attempts[0].Attempt;
            slot.State = attempts[0];
            slot.LastTerminated = attempts.Skip(1).FirstOrDefault();
            slot.Ready = slot.Running && slot.Plan.Readiness is null;
            PodLog.Adopted(_context.Logger, _plan.Namespace, _plan.Name, group.Key, slot.Attempt, slot.Running);
            foreach (var stale in attempts.Skip(2))
            {
                await _context.Runtime.RemoveAsync(stale.Id, cancellationToken);
            }
        }
    }

    private async Task ReconcileAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var slot in _slots.Values)
        {
            if (slot.Id is not null)
            {
                slot.State = await _context.Runtime.InspectAsync(slot.Id, cancellationToken) ?? slot.State;
            }
        }

        // Init containers one at a time, each to success, before any container starts.
        foreach (var init in _slots.Values.Where(static s => s.Init))
        {
            if (init.Exited && init.State!.ExitCode == 0)
            {
                continue;
            }

            await EnsureAsync(init, now, cancellationToken);
            return;
        }

        foreach (var slot in _slots.Values.Where(static s => !s.Init))
        {
            await EnsureAsync(slot, now, cancellationToken);
        }
    }

    /// <summary>Starts the container, or restarts it per restart policy and back-off, or leaves it be.</summary>
    private async Task EnsureAsync(ContainerSlot slot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (slot.Running)
        {
            WatchExit(slot);
            if (slot.Plan.Readiness is null)
            {
                slot.Ready = true;
            }

            return;
        }

        if (slot.Id is not null && slot.Exited)
        {
            slot.Ready = false;
            if (!ShouldRestart(slot))
            {
                return;
            }
        }

        if (slot.RestartAfter is { } after && now < after)
        {
            if (slot.Exited)
            {
                if (slot.WaitingReason != "CrashLoopBackOff")
                {
                    // Once per exit that has to wait (kubelet repeats it on each sync; the count says how often it came).
                    _context.Events.Warning(_plan, slot.Plan, "BackOff", $"Back-off restarting failed container {slot.Plan.Name} in pod {_plan.Name}_{_plan.Namespace}({_plan.Uid})");
                }

                slot.WaitingReason = "CrashLoopBackOff";
                slot.WaitingMessage = $"back-off {slot.NextBackOff.TotalSeconds:0}s restarting failed container={slot.Plan.Name} pod={_plan.Name}_{_plan.Namespace}({_plan.Uid})";
            }
            else if (slot.WaitingReason == "ErrImagePull")
            {
                // As the kubelet: between pull attempts the container waits in ImagePullBackOff.
                slot.WaitingReason = "ImagePullBackOff";
                slot.WaitingMessage = $"Back-off pulling image \"{slot.Plan.Image}\"";
                _context.Events.Normal(_plan, slot.Plan, "BackOff", slot.WaitingMessage);
            }

            return;
        }

        await StartAsync(slot, now, cancellationToken);
    }

    private bool ShouldRestart(ContainerSlot slot)
    {
        // Init containers restart on failure unless the pod never restarts anything.
        var code = slot.State!.ExitCode ?? 0;
        return _plan.RestartPolicy switch
        {
            "Never" => false,
            "OnFailure" => code != 0,
            _ => !slot.Init || code != 0,
        };
    }

    private async Task StartAsync(ContainerSlot slot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var attempt = slot.Attempt + 1;
        try
        {
            var environment = await _context.Environment.ResolveAsync(_plan, slot.Plan, _context.NodeName, _context.HostIp, cancellationToken);
            var mounts = await _context.Volumes.PrepareAsync(_plan, slot.Plan, _podDirectory, cancellationToken);
            var id = await _context.Runtime.StartAsync(new ContainerLaunch
            {
                PodUid = _plan.Uid,
                PodNamespace = _plan.Namespace,
                PodName = _plan.Name,
                ContainerName = slot.Plan.Name,
                Attempt = attempt,
                Image = slot.Plan.Image,
                ImagePullPolicy = slot.Plan.ImagePullPolicy,
                Command = slot.Plan.Command,
                Args = slot.Plan.Args,
                Environment = environment,
                WorkingDirectory = slot.Plan.WorkingDirectory,
                Mounts = mounts,
                PodDirectory = _podDirectory,
                Tty = slot.Plan.Tty,
                Resources = ContainerResourceSpec.Read(slot.Plan.Resources),
                ImageProgress = (reason, message) => _context.Events.Normal(_plan, slot.Plan, reason, message),
            }, cancellationToken);
            if (slot.State is { Running: false } previous && slot.Id is not null)
            {
                // The attempt before the previous one is no longer shown anywhere (kubectl logs --previous reads one back).
                if (slot.LastTerminated is { } older && older.Id != id)
                {
                    await _context.Runtime.RemoveAsync(older.Id, cancellationToken);
                }

                slot.LastTerminated = previous;
            }

            slot.Id = id;
            slot.Attempt = attempt;
            slot.State = await _context.Runtime.InspectAsync(id, cancellationToken);
            slot.WaitingReason = null;
            slot.WaitingMessage = null;
            slot.Ready = slot.Running && slot.Plan.Readiness is null;
            var started = slot.State?.StartedAt ?? now;
            slot.Liveness = slot.Plan.Liveness is { } liveness ? new ProbeTracker(liveness, started) : null;
            slot.Readiness = slot.Plan.Readiness is { } readiness ? new ProbeTracker(readiness, started) : null;
            ScheduleBackOff(slot, now);
            WatchExit(slot);
            PodLog.Started(_context.Logger, _plan.Namespace, _plan.Name, slot.Plan.Name, attempt);
            _context.Events.Normal(_plan, slot.Plan, "Created", $"Created container: {slot.Plan.Name}");
            _context.Events.Normal(_plan, slot.Plan, "Started", $"Started container {slot.Plan.Name}");
        }
        catch (ContainerConfigException e)
        {
            Waiting(slot, "CreateContainerConfigError", e.Message, now);
            _context.Events.Warning(_plan, slot.Plan, "Failed", $"Error: {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // ErrImagePull or ErrImageNeverPull, with the kubelet's words ("Failed to pull image ...", "... pull policy of Never").
            var pull = e as Runtime.Docker.ImagePullException;
            Waiting(slot, pull?.Reason ?? "RunContainerError", e.Message, now);
            PodLog.StartFailed(_context.Logger, _plan.Namespace, _plan.Name, slot.Plan.Name, e.Message);
            _context.Events.Warning(_plan, slot.Plan, "Failed", pull is not null ? e.Message : $"Error: {e.Message}");
        }
    }

    /// <summary>kubelet's crash back-off: the first restart is immediate, then 10 s, 20 s, ... up to 5 min.</summary>
    private static void ScheduleBackOff(ContainerSlot slot, DateTimeOffset now)
    {
        slot.RestartAfter = now + slot.NextBackOff;
        slot.NextBackOff = slot.NextBackOff == TimeSpan.Zero ? FirstBackOff : TimeSpan.FromTicks(Math.Min(slot.NextBackOff.Ticks * 2, MaxBackOff.Ticks));
    }

    private void Waiting(ContainerSlot slot, string reason, string message, DateTimeOffset now)
    {
        slot.WaitingReason = reason;
        slot.WaitingMessage = message;
        ScheduleBackOff(slot, now);
    }

    private void WatchExit(ContainerSlot slot)
    {
        if (slot.Id is not { } id || slot.WatchedId == id)
        {
            return;
        }

        slot.WatchedId = id;
        var token = _stop.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                await _context.Runtime.WaitForExitAsync(id, token);
            }
            catch (Exception) when (!token.IsCancellationRequested)
            {
                // Inspect on the next pass tells what happened.
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Wake();
        }, CancellationToken.None);
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var now = _context.Time.GetUtcNow();
        foreach (var slot in _slots.Values.Where(static s => s.Running))
        {
            if (slot.Readiness is { } readiness && now >= readiness.NextDue)
            {
                var result = await _context.Probes.RunAsync(readiness.Plan, slot.Plan, _context.Runtime, slot.Id!, cancellationToken);
                readiness.Record(result.Success, _context.Time.GetUtcNow());
                slot.Ready = readiness.Passing == true;
                Unhealthy(slot, "Readiness", result);
            }

            if (slot.Liveness is { } liveness && now >= liveness.NextDue)
            {
                var result = await _context.Probes.RunAsync(liveness.Plan, slot.Plan, _context.Runtime, slot.Id!, cancellationToken);
                liveness.Record(result.Success, _context.Time.GetUtcNow());
                Unhealthy(slot, "Liveness", result);
                if (liveness.Passing == false)
                {
                    // As kubelet: a container that fails its liveness probe is killed and restarted per policy.
                    PodLog.LivenessFailed(_context.Logger, _plan.Namespace, _plan.Name, slot.Plan.Name);
                    _context.Events.Normal(_plan, slot.Plan, "Killing", $"Container {slot.Plan.Name} failed liveness probe, will be restarted");
                    await _context.Runtime.StopAsync(slot.Id!, _plan.TerminationGracePeriod, cancellationToken);
                    slot.State = await _context.Runtime.InspectAsync(slot.Id!, cancellationToken) ?? slot.State;
                    slot.Liveness = null;
                    slot.Ready = false;
                    Wake();
                }
            }
        }
    }

    // Every failed run is an event, as the kubelet's prober writes them; repeats add to one Event's count.
    private void Unhealthy(ContainerSlot slot, string probe, ProbeResult result)
    {
        if (!result.Success)
        {
            _context.Events.Warning(_plan, slot.Plan, "Unhealthy", $"{probe} probe failed: {result.Output}");
        }
    }

    private DateTimeOffset? NextDeadline()
    {
        DateTimeOffset? next = null;
        foreach (var slot in _slots.Values)
        {
            Consider(slot.RestartAfter is { } after && (!slot.Running || slot.WaitingReason is not null) ? after : null);
            if (slot.Running)
            {
                Consider(slot.Liveness?.NextDue);
                Consider(slot.Readiness?.NextDue);
            }
        }

        return next;

        void Consider(DateTimeOffset? at)
        {
            if (at is { } value && (next is null || value < next))
            {
                next = value;
            }
        }
    }

    private async Task WaitAsync(DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var delay = until is { } at ? at - _context.Time.GetUtcNow() : Timeout.InfiniteTimeSpan;
        if (until is not null && delay <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (until is not null)
        {
            timeout.CancelAfter(delay);
        }

        try
        {
            await _wake.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The deadline came.
        }
    }

    private async Task TerminateAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        var running = _slots.Values.Where(static s => s.Id is not null && s.State is not { Running: false, ExitCode: not null }).ToList();
        await Task.WhenAll(running.Select(async slot =>
        {
            if (slot.Running)
            {
                _context.Events.Normal(_plan, slot.Plan, "Killing", $"Stopping container {slot.Plan.Name}");
            }

            await _context.Runtime.StopAsync(slot.Id!, grace, cancellationToken);
            slot.State = await _context.Runtime.InspectAsync(slot.Id!, cancellationToken) ?? slot.State;
            slot.Ready = false;
        }));
        foreach (var slot in _slots.Values.Where(static s => s.Id is null))
        {
            slot.WaitingReason ??= "ContainerCreating";
        }
    }

    private async Task RemoveAsync(CancellationToken cancellationToken)
    {
        // The containers this worker knows: the current and the previous attempt of each (older ones went as
        // they were replaced). No runtime-wide listing, which would cost every pod as much as all pods together.
        foreach (var id in _slots.Values.SelectMany(static s => new[] { s.Id, s.LastTerminated?.Id }).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            await _context.Runtime.RemoveAsync(id, cancellationToken);
        }

        _context.Statuses.Forget(_plan.Uid);
        try
        {
            Directory.Delete(_podDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
