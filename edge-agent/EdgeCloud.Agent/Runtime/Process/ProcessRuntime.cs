using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using HostProcess = System.Diagnostics.Process;

namespace EdgeCloud.Agent.Runtime.Process;

/// <summary>
/// The <c>process</c> runtime, for devices without a container engine: each container's command line runs as a plain
/// host process, with NO isolation (no namespaces, no cgroups, no image, no user switch: it runs as the agent's user
/// and sees the host's filesystem, network and processes). The image and its pull policy are ignored.
/// </summary>
/// <remarks>
/// <para>
/// Where things are: each pod directory (<see cref="ContainerLaunch.PodDirectory"/>) must lie directly under the pods
/// directory this runtime is constructed with, which is how a new runtime instance finds the containers of an earlier
/// agent run. Each container attempt gets <c>&lt;pod dir&gt;/.containers/&lt;id&gt;/</c> holding <c>state.json</c>
/// (its identity, environment, working directory, pids with their start times), <c>log</c>, <c>pid</c> and, once
/// it has exited, <c>exit</c> (see <see cref="ExitStatusWrapper"/>).
/// </para>
/// <para>
/// The process runs in the pod directory, or in <see cref="ContainerLaunch.WorkingDirectory"/>: a relative one is
/// resolved inside the pod directory (and created), an absolute one is a host path that must exist. Its environment
/// is exactly the pod's, plus PATH (Docker's default) and HOME (the pod directory, the closest thing to a disposable
/// image filesystem) when the pod sets none. Command empty means Args is the command line; there is no image entrypoint.
/// </para>
/// <para>
/// Volumes cannot be mounted without a mount namespace, so each mount is a symlink at
/// <c>&lt;pod dir&gt;/&lt;mountPath without its leading slash&gt;</c> to the host path: an absolute mountPath such as
/// <c>/data</c> is reached as <c>data</c> relative to the pod directory, not at <c>/data</c>. ReadOnly is not
/// enforced. The pod directory is shared by all containers of the pod.
/// </para>
/// <para>
/// Processes outlive the agent: each runs in a session of its own with its output appended to its log file (no pipe
/// to the agent that could break when the agent dies), under a wrapper that records its exit status. Stopping signals
/// the container's process group; a process that moved itself into another session or group escapes it.
/// Disposing the runtime leaves the containers running.
/// </para>
/// </remarks>
internal sealed partial class ProcessRuntime : IContainerRuntime
{
    /// <summary>The directory, inside each pod directory, that holds the runtime's per-container state.</summary>
    public const string StateDirectoryName = ".containers";

    private const string StateFileName = "state.json";

    /// <summary>Docker's default PATH, which images without an ENV PATH run with.</summary>
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private const string NoCommandMessage = "the process runtime needs command or args: there is no image entrypoint";

    private static readonly TimeSpan FirstPollInterval = TimeSpan.FromMilliseconds(5);

    // .NET has no pidfd API, so a process this agent did not spawn is polled; 200 ms bounds how late an exit is seen.
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromMilliseconds(200);

    private static readonly TimeSpan WrapperStartTimeout = TimeSpan.FromSeconds(10);

    private readonly string _podsDirectory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _shellPath = "/bin/sh";
    private readonly string? _setsidPath;
    /// <summary>
    /// Starts of one pod are serialized (its containers share the pod directory and its mount links, and a second
    /// start of an attempt must find the first); pods start in parallel. Striped by pod uid: no lock per pod to forget.
    /// </summary>
    private readonly SemaphoreSlim[] _startLocks = [.. Enumerable.Range(0, 64).Select(static _ => new SemaphoreSlim(1, 1))];
    private readonly ConcurrentDictionary<string, string> _stateDirectories = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (HostProcess Process, Task Exited)> _wrappers = new(StringComparer.Ordinal);

    /// <summary>Creates the runtime over <paramref name="podsDirectory"/>, the directory that holds every pod directory.</summary>
    public ProcessRuntime(string podsDirectory, TimeProvider timeProvider, ILogger<ProcessRuntime> logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(podsDirectory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _podsDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(podsDirectory));
        _timeProvider = timeProvider;
        _logger = logger;
        _setsidPath = new[] { "/usr/bin/setsid", "/bin/setsid", "/usr/sbin/setsid", "/sbin/setsid" }.FirstOrDefault(File.Exists);
    }

    /// <inheritdoc />
    public string Name => "process";

    /// <summary>
    /// Starts the container, or returns the id of the one already started for the same pod uid, container name and
    /// attempt (by this or an earlier agent run). A container that cannot start (no command line, missing executable,
    /// unusable working directory or mount) still gets an id; its state says StartError and why.
    /// </summary>
    public async Task<string> StartAsync(ContainerLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var podDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(launch.PodDirectory));
        if (!string.Equals(Path.GetDirectoryName(podDirectory), _podsDirectory, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The pod directory {podDirectory} is not directly under the pods directory {_podsDirectory}; containers started there could not be found after an agent restart.",
                nameof(launch));
        }

        var id = ContainerId(launch.PodUid, launch.ContainerName, launch.Attempt);
        var stateDirectory = Path.Combine(podDirectory, StateDirectoryName, id);
        var startLock = _startLocks[(int)((uint)StringComparer.Ordinal.GetHashCode(launch.PodUid) % (uint)_startLocks.Length)];
        await startLock.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(Path.Combine(stateDirectory, StateFileName)))
            {
                _stateDirectories[id] = stateDirectory;
                ProcessRuntimeLog.AlreadyStarted(_logger, id);
                return id;
            }

            Directory.CreateDirectory(stateDirectory);
            _stateDirectories[id] = stateDirectory;
            var record = new ProcessContainerRecord
            {
                Id = id,
                PodUid = launch.PodUid,
                PodNamespace = launch.PodNamespace,
                PodName = launch.PodName,
                ContainerName = launch.ContainerName,
                Attempt = launch.Attempt,
                Image = launch.Image,
            };

            var problem = Prepare(launch, podDirectory, out var commandLine, out var workingDirectory, out var environment);
            if (problem is null && _setsidPath is null)
            {
                problem = "setsid was not found (util-linux or busybox provides it); the process runtime needs it to run containers that outlive the agent";
            }

            record = record with { CommandLine = commandLine, WorkingDirectory = workingDirectory, Environment = environment };
            using (File.Open(Path.Combine(stateDirectory, ExitStatusWrapper.LogFileName), FileMode.OpenOrCreate, FileAccess.Write))
            {
                // An empty log, so that logs can be read before the process has written anything.
            }

            if (problem is not null)
            {
                await FailAsync(stateDirectory, record, problem);
                return id;
            }

            // The state is on disk before the process starts: an agent killed from here on leaves a container that a
            // new run finds (running, or lost), never a process nobody knows of.
            await WriteRecordAsync(stateDirectory, record, cancellationToken);

            var startedAt = _timeProvider.GetUtcNow();
            HostProcess wrapper;
            try
            {
                wrapper = Spawn(stateDirectory, record);
            }
            catch (Win32Exception exception)
            {
                await FailAsync(stateDirectory, record, $"{_setsidPath} {_shellPath} could not be started: {exception.Message}");
                return id;
            }

            // The process runs now: finish recording it whatever the token says, so that the state on disk is whole.
            var pids = await WaitForPidFileAsync(stateDirectory, wrapper);
            if (pids is not { } found)
            {
                var detail = wrapper.HasExited
                    ? $"the process runtime's wrapper exited with code {wrapper.ExitCode.ToString(CultureInfo.InvariantCulture)} before starting the command"
                    : "the process runtime's wrapper did not start the command within 10 s";
                if (!wrapper.HasExited)
                {
                    wrapper.Kill(entireProcessTree: true);
                }

                wrapper.Dispose();
                await FailAsync(stateDirectory, record, detail);
                return id;
            }

            // The wrapper writes the pid right after forking; until setsid has run in that child, signals to its group
            // would reach nothing. A start is complete once the process leads its own group (or has already ended).
            await WaitForProcessGroupAsync(found.Container);
            record = record with
            {
                WrapperPid = found.Wrapper,
                WrapperStartTicks = HostProcesses.TryReadStat(found.Wrapper, out var wrapperTicks, out _, out _) ? wrapperTicks : null,
                Pid = found.Container,
                PidStartTicks = HostProcesses.TryReadStat(found.Container, out var containerTicks, out _, out _) ? containerTicks : null,
                StartedAt = startedAt,
                BootId = HostProcesses.BootId,
            };
            await WriteRecordAsync(stateDirectory, record, CancellationToken.None);
            _wrappers[id] = (wrapper, wrapper.WaitForExitAsync(CancellationToken.None));
            ProcessRuntimeLog.Started(_logger, id, record.PodNamespace, record.PodName, record.ContainerName, record.Attempt, found.Container);
            return id;
        }
        finally
        {
            startLock.Release();
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(string id, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        if (FindStateDirectory(id) is not { } stateDirectory || await TryReadRecordAsync(stateDirectory, cancellationToken) is not { } record)
        {
            return;
        }

        if (!BuildState(record, stateDirectory).Running)
        {
            return;
        }

        var pids = Pids(record, stateDirectory);
        Signal(pids, HostProcesses.SigTerm);
        if (gracePeriod > TimeSpan.Zero)
        {
            using var grace = new CancellationTokenSource(gracePeriod, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, grace.Token);
            try
            {
                await WaitForExitAsync(id, linked.Token);
                await EndGroupAsync(pids, cancellationToken);
                return;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The grace period is over.
            }
        }

        ProcessRuntimeLog.Killing(_logger, id, (long)Math.Max(0, gracePeriod.TotalMilliseconds));
        // Read the pids again: after an agent crash mid-start the container's pid may have appeared since.
        pids = Pids(record, stateDirectory);
        Signal(pids, HostProcesses.SigKill);
        await WaitForExitAsync(id, cancellationToken);
        await EndGroupAsync(pids, cancellationToken);
    }

    /// <summary>
    /// Once the container's main process has exited: kills what is left of its process group and waits (at most
    /// <see cref="WrapperStartTimeout"/>) until none of it is alive, as a container's other processes go when its
    /// init exits under runc. Without it a stop returned while a killed child was still being torn down, and a
    /// restart could briefly run beside the old container's leftovers.
    /// </summary>
    private async Task EndGroupAsync(ContainerPids pids, CancellationToken cancellationToken)
    {
        if (pids.Container is not { } group)
        {
            return;
        }

        HostProcesses.SignalGroup(group, HostProcesses.SigKill);
        var deadline = _timeProvider.GetTimestamp() + (long)(WrapperStartTimeout.TotalSeconds * _timeProvider.TimestampFrequency);
        var delay = FirstPollInterval;
        while (HostProcesses.GroupHasLiveMembers(group) && _timeProvider.GetTimestamp() < deadline)
        {
            await Task.Delay(delay, _timeProvider, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollInterval.Ticks));
        }
    }

    /// <summary>Removes the container's state directory, its log included; a container still running is killed first.</summary>
    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        if (FindStateDirectory(id) is not { } stateDirectory)
        {
            return;
        }

        await StopAsync(id, TimeSpan.Zero, cancellationToken);
        try
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Removed already.
        }

        _stateDirectories.TryRemove(id, out _);
        if (_wrappers.TryRemove(id, out var wrapper))
        {
            wrapper.Process.Dispose();
        }
    }

    /// <inheritdoc />
    public async Task<ContainerState?> InspectAsync(string id, CancellationToken cancellationToken)
    {
        if (FindStateDirectory(id) is not { } stateDirectory || await TryReadRecordAsync(stateDirectory, cancellationToken) is not { } record)
        {
            return null;
        }

        return BuildState(record, stateDirectory);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContainerState>> ListAsync(CancellationToken cancellationToken)
    {
        var states = new List<ContainerState>();
        if (!Directory.Exists(_podsDirectory))
        {
            return states;
        }

        foreach (var podDirectory in Directory.EnumerateDirectories(_podsDirectory))
        {
            var containers = Path.Combine(podDirectory, StateDirectoryName);
            if (!Directory.Exists(containers))
            {
                continue;
            }

            string[] stateDirectories;
            try
            {
                stateDirectories = Directory.GetDirectories(containers);
            }
            catch (DirectoryNotFoundException)
            {
                // The pod's directory was removed meanwhile.
                continue;
            }

            foreach (var stateDirectory in stateDirectories)
            {
                if (await TryReadRecordAsync(stateDirectory, cancellationToken) is { } record)
                {
                    _stateDirectories[record.Id] = stateDirectory;
                    states.Add(BuildState(record, stateDirectory));
                }
            }
        }

        states.Sort(static (a, b) =>
        {
            var byPod = string.CompareOrdinal(a.PodUid, b.PodUid);
            var byName = byPod != 0 ? byPod : string.CompareOrdinal(a.ContainerName, b.ContainerName);
            return byName != 0 ? byName : a.Attempt.CompareTo(b.Attempt);
        });
        return states;
    }

    /// <summary>Completes with the exit code once the container has exited; throws <see cref="KeyNotFoundException"/> for an unknown id.</summary>
    public async Task<int> WaitForExitAsync(string id, CancellationToken cancellationToken)
    {
        var delay = FirstPollInterval;
        while (true)
        {
            var state = await InspectAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"The process runtime has no container {id}.");
            if (!state.Running)
            {
                return state.ExitCode ?? 0;
            }

            await PollDelayAsync(id, delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollInterval.Ticks));
        }
    }

    /// <summary>Lets go of the wrappers this instance spawned; the containers keep running.</summary>
    public ValueTask DisposeAsync()
    {
        foreach (var wrapper in _wrappers.Values)
        {
            wrapper.Process.Dispose();
        }

        _wrappers.Clear();
        foreach (var startLock in _startLocks)
        {
            startLock.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The id of a container attempt: readable (container name and attempt) and stable, so that starting the same
    /// attempt again, in this agent run or the next, finds the same directory.
    /// </summary>
    internal static string ContainerId(string podUid, string containerName, int attempt)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{podUid}\n{containerName}\n{attempt.ToString(CultureInfo.InvariantCulture)}"));
        var name = new StringBuilder(containerName.Length);
        foreach (var c in containerName)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_');
        }

        return $"{name}-{attempt.ToString(CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(hash.AsSpan(0, 6))}";
    }

    private HostProcess Spawn(string stateDirectory, ProcessContainerRecord record)
    {
        var start = new ProcessStartInfo(_setsidPath!)
        {
            UseShellExecute = false,
            WorkingDirectory = record.WorkingDirectory,
        };
        start.ArgumentList.Add(_shellPath);
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(ExitStatusWrapper.Script);
        start.ArgumentList.Add(ExitStatusWrapper.ProcessName);
        start.ArgumentList.Add(stateDirectory);
        start.ArgumentList.Add(_setsidPath!);
        foreach (var argument in record.CommandLine)
        {
            start.ArgumentList.Add(argument);
        }

        SetEnvironment(start, record.Environment);
        return HostProcess.Start(start) ?? throw new Win32Exception("no process was started");
    }

    private static void SetEnvironment(ProcessStartInfo start, IReadOnlyList<ProcessEnvironmentVariable> environment)
    {
        start.Environment.Clear();
        foreach (var variable in environment)
        {
            start.Environment[variable.Name] = variable.Value;
        }
    }

    private async Task<(int Wrapper, int Container)?> WaitForPidFileAsync(string stateDirectory, HostProcess wrapper)
    {
        var deadline = _timeProvider.GetTimestamp() + (long)(WrapperStartTimeout.TotalSeconds * _timeProvider.TimestampFrequency);
        var delay = FirstPollInterval;
        while (true)
        {
            if (ReadPidFile(stateDirectory) is { } pids)
            {
                return pids;
            }

            if (wrapper.HasExited || _timeProvider.GetTimestamp() > deadline)
            {
                return ReadPidFile(stateDirectory);
            }

            await Task.WhenAny(Task.Delay(delay, _timeProvider, CancellationToken.None), wrapper.WaitForExitAsync(CancellationToken.None));
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollInterval.Ticks));
        }
    }

    private async Task WaitForProcessGroupAsync(int pid)
    {
        var deadline = _timeProvider.GetTimestamp() + (long)(WrapperStartTimeout.TotalSeconds * _timeProvider.TimestampFrequency);
        var delay = FirstPollInterval;
        while (HostProcesses.IsAlive(pid, null) && !HostProcesses.LeadsProcessGroup(pid) && _timeProvider.GetTimestamp() < deadline)
        {
            await Task.Delay(delay, _timeProvider, CancellationToken.None);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollInterval.Ticks));
        }
    }

    private async Task PollDelayAsync(string id, TimeSpan delay, CancellationToken cancellationToken)
    {
        var sleep = Task.Delay(delay, _timeProvider, cancellationToken);
        if (_wrappers.TryGetValue(id, out var wrapper) && !wrapper.Exited.IsCompleted)
        {
            // A wrapper this instance spawned ends right after it has written the exit status: no need to wait for the poll.
            await Task.WhenAny(sleep, wrapper.Exited);
            cancellationToken.ThrowIfCancellationRequested();
        }
        else
        {
            await sleep;
        }
    }

    private static void Signal(ContainerPids pids, int signal)
    {
        if (pids.Container is { } pid && HostProcesses.IsAlive(pid, pids.ContainerStartTicks))
        {
            if (!HostProcesses.SignalGroup(pid, signal))
            {
                // Not yet its own group (setsid has not run: only seen after an agent crash mid-start); it is still the
                // wrapper's forked child, whose default signal actions end it.
                HostProcesses.SignalProcess(pid, signal);
            }
        }
        else if (pids.Container is null && pids.Wrapper is { } wrapper && HostProcesses.IsAlive(wrapper, pids.WrapperStartTicks) && signal == HostProcesses.SigKill)
        {
            // Only after an agent crash mid-start: the wrapper never said which process it started. Its session is its
            // group, and the container's process, started without a new session yet, may still be in it.
            HostProcesses.SignalGroup(wrapper, signal);
        }
    }

    private ContainerState BuildState(ProcessContainerRecord record, string stateDirectory)
    {
        var state = new ContainerState
        {
            Id = record.Id,
            PodUid = record.PodUid,
            PodNamespace = record.PodNamespace,
            PodName = record.PodName,
            ContainerName = record.ContainerName,
            Attempt = record.Attempt,
            Running = false,
            StartedAt = record.StartedAt,
            Image = record.Image,
        };

        if (record.StartError is not null)
        {
            // As containerd reports a failed start: exit code 128, reason StartError.
            return state with { StartedAt = null, FinishedAt = record.FailedAt, ExitCode = 128, Reason = "StartError", Message = record.StartError };
        }

        var pids = Pids(record, stateDirectory);
        var wrapperAlive = pids.Wrapper is { } wrapper && HostProcesses.IsAlive(wrapper, pids.WrapperStartTicks);
        if (TryReadExit(stateDirectory) is { } exited && !wrapperAlive)
        {
            // Exited once the wrapper, which writes the status as its last act, is gone too: a stopped container
            // leaves no process of the runtime behind.
            return Exited(state, exited);
        }

        if (wrapperAlive || (pids.Container is { } pid && HostProcesses.IsAlive(pid, pids.ContainerStartTicks)))
        {
            return state with { Running = true, StartedAt = state.StartedAt ?? pids.WrittenAt };
        }

        // The wrapper may have written the status and exited between the two looks.
        if (TryReadExit(stateDirectory) is { } late)
        {
            return Exited(state, late);
        }

        // Neither the process nor its wrapper is there and no status was written (the wrapper was killed, or the host
        // rebooted). Kubelet reports a container it lost the same way: 137, ContainerStatusUnknown.
        return state with
        {
            StartedAt = state.StartedAt ?? pids.WrittenAt,
            FinishedAt = LastWrite(Path.Combine(stateDirectory, ExitStatusWrapper.LogFileName)),
            ExitCode = 137,
            Reason = "ContainerStatusUnknown",
            Message = "the container's process and its exit-status wrapper are gone without a recorded exit status (killed, or the host restarted)",
        };
    }

    private static ContainerState Exited(ContainerState state, (int Code, DateTimeOffset At) exited) => state with
    {
        FinishedAt = exited.At,
        ExitCode = exited.Code,
        Reason = exited.Code == 0 ? "Completed" : "Error",
    };

    private static ContainerPids Pids(ProcessContainerRecord record, string stateDirectory)
    {
        if (record.BootId is not null && HostProcesses.BootId is not null && record.BootId != HostProcesses.BootId)
        {
            // Started before the host last booted: its pids now name other processes, if any.
            return new ContainerPids(null, null, null, null, record.StartedAt);
        }

        if (record.Pid is not null)
        {
            return new ContainerPids(record.WrapperPid, record.WrapperStartTicks, record.Pid, record.PidStartTicks, null);
        }

        // The agent died between starting the wrapper and recording its pids: the wrapper's own pid file says them,
        // without start times to check against.
        var path = Path.Combine(stateDirectory, ExitStatusWrapper.PidFileName);
        return ReadPidFile(stateDirectory) is { } pids
            ? new ContainerPids(pids.Wrapper, null, pids.Container, null, LastWrite(path))
            : new ContainerPids(null, null, null, null, null);
    }

    private static (int Wrapper, int Container)? ReadPidFile(string stateDirectory)
    {
        var text = TryReadText(Path.Combine(stateDirectory, ExitStatusWrapper.PidFileName));
        // The wrapper writes the file with a plain redirection, so a reader can see it empty or half written.
        var parts = text?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts is { Length: 2 }
            && text!.EndsWith('\n')
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var wrapper)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var container)
            ? (wrapper, container)
            : null;
    }

    private static (int Code, DateTimeOffset At)? TryReadExit(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, ExitStatusWrapper.ExitFileName);
        var text = TryReadText(path);
        if (text is null || !text.EndsWith('\n') || !int.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return null;
        }

        // The wrapper cannot read a clock without running a program; the file's mtime is when it wrote the status.
        return (code, LastWrite(path) ?? DateTimeOffset.UnixEpoch);
    }

    private static string? TryReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static DateTimeOffset? LastWrite(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero) : null;
    }

    private string? FindStateDirectory(string id)
    {
        if (!IsValidId(id))
        {
            return null;
        }

        if (_stateDirectories.TryGetValue(id, out var known))
        {
            if (File.Exists(Path.Combine(known, StateFileName)))
            {
                return known;
            }

            _stateDirectories.TryRemove(id, out _);
        }

        if (!Directory.Exists(_podsDirectory))
        {
            return null;
        }

        foreach (var podDirectory in Directory.EnumerateDirectories(_podsDirectory))
        {
            var candidate = Path.Combine(podDirectory, StateDirectoryName, id);
            if (File.Exists(Path.Combine(candidate, StateFileName)))
            {
                _stateDirectories[id] = candidate;
                return candidate;
            }
        }

        return null;
    }

    private static bool IsValidId(string id) =>
        !string.IsNullOrEmpty(id) && id != "." && id != ".." && id.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private async Task<ProcessContainerRecord?> TryReadRecordAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(stateDirectory, StateFileName);
        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            return JsonSerializer.Deserialize(bytes, ProcessRuntimeJsonContext.Default.ProcessContainerRecord);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception exception) when (exception is IOException or JsonException)
        {
            ProcessRuntimeLog.StateUnreadable(_logger, path, exception);
            return null;
        }
    }

    private static async Task WriteRecordAsync(string stateDirectory, ProcessContainerRecord record, CancellationToken cancellationToken)
    {
        // Written aside and renamed over, so that a reader (or an agent killed mid-write) never sees half a file.
        var path = Path.Combine(stateDirectory, StateFileName);
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(record, ProcessRuntimeJsonContext.Default.ProcessContainerRecord), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    private async Task FailAsync(string stateDirectory, ProcessContainerRecord record, string message)
    {
        ProcessRuntimeLog.StartFailed(_logger, record.Id, record.PodNamespace, record.PodName, record.ContainerName, record.Attempt, message);
        await WriteRecordAsync(stateDirectory, record with { StartError = message, FailedAt = _timeProvider.GetUtcNow() }, CancellationToken.None);
    }

    private readonly record struct ContainerPids(int? Wrapper, long? WrapperStartTicks, int? Container, long? ContainerStartTicks, DateTimeOffset? WrittenAt);
}
