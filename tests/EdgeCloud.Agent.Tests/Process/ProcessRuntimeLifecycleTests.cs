using System.Diagnostics;
using EdgeCloud.Agent.Runtime;
using EdgeCloud.Agent.Runtime.Process;

namespace EdgeCloud.Agent.Tests.Process;

public sealed class ProcessRuntimeLifecycleTests
{
    [Fact]
    public async Task Running_container_logs_its_output_and_stops_on_SIGTERM_with_143_within_the_grace()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var id = await sandbox.StartAsync("/bin/sh", "-c", "echo hello; sleep 30");

        var running = await sandbox.Runtime.InspectAsync(id, sandbox.Token);
        Assert.NotNull(running);
        Assert.True(running.Running);
        Assert.NotNull(running.StartedAt);
        Assert.Null(running.ExitCode);
        Assert.Equal("process", sandbox.Runtime.Name);
        await sandbox.WaitForLogAsync(id, "hello\n");

        var grace = TimeSpan.FromSeconds(15);
        var clock = Stopwatch.StartNew();
        await sandbox.Runtime.StopAsync(id, grace, sandbox.Token);
        Assert.True(clock.Elapsed < grace, $"stopping took {clock.Elapsed}, as long as the grace period: SIGTERM did not end it");

        var stopped = await sandbox.Runtime.InspectAsync(id, sandbox.Token);
        Assert.NotNull(stopped);
        Assert.False(stopped.Running);
        Assert.Equal(143, stopped.ExitCode);
        Assert.Equal("Error", stopped.Reason);
        Assert.NotNull(stopped.FinishedAt);
        Assert.Equal(143, await sandbox.Runtime.WaitForExitAsync(id, sandbox.Token));
        Assert.Empty(ProcessRuntimeSandbox.ProcessesWorkingIn(sandbox.PodDirectory("pod")));
    }

    [Fact]
    public async Task Process_ignoring_SIGTERM_is_killed_once_the_grace_has_passed_with_137()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var id = await sandbox.StartAsync("/bin/sh", "-c", "trap '' TERM; echo ready; sleep 30");
        await sandbox.WaitForLogAsync(id, "ready\n");

        var grace = TimeSpan.FromMilliseconds(700);
        var clock = Stopwatch.StartNew();
        await sandbox.Runtime.StopAsync(id, grace, sandbox.Token);
        // Timers count in whole milliseconds of a coarser clock than Stopwatch: allow them to end a tick early.
        Assert.True(clock.Elapsed >= grace - TimeSpan.FromMilliseconds(20), $"killed after {clock.Elapsed}, before the {grace} grace period");

        var stopped = await sandbox.Runtime.InspectAsync(id, sandbox.Token);
        Assert.Equal(137, stopped!.ExitCode);
        Assert.False(stopped.Running);
        Assert.Empty(ProcessRuntimeSandbox.ProcessesWorkingIn(sandbox.PodDirectory("pod")));
    }

    [Fact]
    public async Task Exit_code_is_reported_with_reason_Error_or_Completed()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var failing = await sandbox.StartAsync("sh", "-c", "exit 3");
        Assert.Equal(3, await sandbox.Runtime.WaitForExitAsync(failing, sandbox.Token));
        var failed = await sandbox.Runtime.InspectAsync(failing, sandbox.Token);
        Assert.Equal(3, failed!.ExitCode);
        Assert.Equal("Error", failed.Reason);
        Assert.False(failed.Running);
        Assert.NotNull(failed.FinishedAt);
        Assert.True(failed.FinishedAt >= failed.StartedAt!.Value.AddSeconds(-1));

        var launch = ProcessRuntimeSandbox.Launch(sandbox.PodDirectory("pod"), "true") with { ContainerName = "ok" };
        var succeeding = await sandbox.Runtime.StartAsync(launch, sandbox.Token);
        Assert.Equal(0, await sandbox.Runtime.WaitForExitAsync(succeeding, sandbox.Token));
        Assert.Equal("Completed", (await sandbox.Runtime.InspectAsync(succeeding, sandbox.Token))!.Reason);
    }

    [Fact]
    public async Task Process_sees_exactly_the_pod_env_its_working_directory_and_its_mounts_as_links()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var volume = Path.Combine(sandbox.Root, "volume");
        Directory.CreateDirectory(volume);
        await File.WriteAllTextAsync(Path.Combine(volume, "in.txt"), "from-the-host\n", sandbox.Token);
        // Set in the agent's (this test process's) environment: the container must not inherit it.
        Environment.SetEnvironmentVariable("EDGECLOUD_PROCRT_AGENT_ONLY", "leaked");
        var podDirectory = sandbox.PodDirectory("pod");
        var launch = ProcessRuntimeSandbox.Launch(podDirectory) with
        {
            Command = ["/bin/sh", "-c"],
            Args = ["echo \"greeting=$GREETING\"; echo \"agent=${EDGECLOUD_PROCRT_AGENT_ONLY-unset}\"; echo \"path=$PATH\"; echo \"home=$HOME\"; echo \"pwd=$(pwd)\"; cat ../data/vol/in.txt; echo written > ../data/vol/out.txt"],
            Environment = [new("GREETING", "first"), new("GREETING", "hi there")],
            WorkingDirectory = "work",
            Mounts = [new ContainerMount(volume, "/data/vol", ReadOnly: false)],
        };

        var id = await sandbox.Runtime.StartAsync(launch, sandbox.Token);
        Assert.Equal(0, await sandbox.Runtime.WaitForExitAsync(id, sandbox.Token));

        var lines = (await sandbox.LogsAsync(id)).Split('\n');
        Assert.Contains("greeting=hi there", lines);
        Assert.Contains("agent=unset", lines);
        Assert.Contains("path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", lines);
        Assert.Contains($"home={podDirectory}", lines);
        Assert.Contains($"pwd={Path.Combine(podDirectory, "work")}", lines);
        Assert.Contains("from-the-host", lines);
        Assert.Equal("written\n", await File.ReadAllTextAsync(Path.Combine(volume, "out.txt"), sandbox.Token));
        Assert.Equal(volume, new FileInfo(Path.Combine(podDirectory, "data", "vol")).LinkTarget);
    }

    [Fact]
    public async Task Pod_PATH_is_kept_and_args_alone_are_the_command_line()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var launch = ProcessRuntimeSandbox.Launch(sandbox.PodDirectory("pod")) with
        {
            Args = ["sh", "-c", "echo \"path=$PATH\""],
            Environment = [new("PATH", "/usr/bin:/bin")],
        };

        var id = await sandbox.Runtime.StartAsync(launch, sandbox.Token);
        Assert.Equal(0, await sandbox.Runtime.WaitForExitAsync(id, sandbox.Token));
        Assert.Equal("path=/usr/bin:/bin\n", await sandbox.LogsAsync(id));
    }

    [Fact]
    public async Task Starting_the_same_attempt_twice_returns_the_same_id_and_runs_one_process()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var launch = ProcessRuntimeSandbox.Launch(sandbox.PodDirectory("pod"), "sleep", "30");
        var first = await sandbox.Runtime.StartAsync(launch, sandbox.Token);
        var second = await sandbox.Runtime.StartAsync(launch, sandbox.Token);
        var next = await sandbox.Runtime.StartAsync(launch with { Attempt = 1, Command = ["true"], WorkingDirectory = "elsewhere" }, sandbox.Token);

        Assert.Equal(first, second);
        Assert.NotEqual(first, next);
        // The attempt-0 wrapper and its sleep (attempt 1 runs elsewhere).
        Assert.Equal(2, ProcessRuntimeSandbox.ProcessesWorkingIn(sandbox.PodDirectory("pod")).Count);
        Assert.Equal(2, (await sandbox.Runtime.ListAsync(sandbox.Token)).Count);
    }

    [Fact]
    public async Task New_runtime_over_the_same_directory_finds_the_running_container_and_stops_it()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var launch = ProcessRuntimeSandbox.Launch(sandbox.PodDirectory("pod"), "sleep", "30");
        var id = await sandbox.Runtime.StartAsync(launch, sandbox.Token);
        // The agent goes away: its runtime lets go of everything, the process stays.
        await sandbox.Runtime.DisposeAsync();

        await using var restarted = sandbox.NewRuntime();
        var listed = Assert.Single(await restarted.ListAsync(sandbox.Token));
        Assert.Equal(id, listed.Id);
        Assert.True(listed.Running);
        Assert.Equal(launch.PodUid, listed.PodUid);
        Assert.Equal("main", listed.ContainerName);
        Assert.Equal(0, listed.Attempt);

        Assert.Equal(id, await restarted.StartAsync(launch, sandbox.Token));
        Assert.Equal(2, ProcessRuntimeSandbox.ProcessesWorkingIn(sandbox.PodDirectory("pod")).Count);

        var waiting = restarted.WaitForExitAsync(id, sandbox.Token);
        Assert.False(waiting.IsCompleted);
        await restarted.StopAsync(id, TimeSpan.FromSeconds(15), sandbox.Token);
        Assert.Equal(143, await waiting);
        Assert.False((await restarted.InspectAsync(id, sandbox.Token))!.Running);
        Assert.Empty(ProcessRuntimeSandbox.ProcessesWorkingIn(sandbox.PodDirectory("pod")));
    }

    [Fact]
    public async Task New_runtime_reports_the_exit_code_of_a_container_that_ended_while_the_agent_was_gone()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var gate = Path.Combine(sandbox.PodDirectory("pod"), "go");
        var id = await sandbox.StartAsync("/bin/sh", "-c", "while [ ! -e go ]; do sleep 0.05; done; exit 5");
        await sandbox.Runtime.DisposeAsync();
        await File.WriteAllTextAsync(gate, "", sandbox.Token);

        await using var restarted = sandbox.NewRuntime();
        Assert.Equal(5, await restarted.WaitForExitAsync(id, sandbox.Token));
        var state = Assert.Single(await restarted.ListAsync(sandbox.Token));
        Assert.Equal(5, state.ExitCode);
        Assert.Equal("Error", state.Reason);
    }

    [Fact]
    public async Task Container_whose_process_and_wrapper_were_killed_is_reported_lost_not_running()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var id = await sandbox.StartAsync("sleep", "30");
        var pids = ProcessRuntimeSandbox.ProcessesWorkingIn(sandbox.PodDirectory("pod"));
        Assert.Equal(2, pids.Count);
        foreach (var pid in pids)
        {
            HostProcesses.SignalGroup(pid, HostProcesses.SigKill);
        }

        Assert.Equal(137, await sandbox.Runtime.WaitForExitAsync(id, sandbox.Token));
        var state = await sandbox.Runtime.InspectAsync(id, sandbox.Token);
        Assert.Equal("ContainerStatusUnknown", state!.Reason);
        Assert.False(state.Running);
    }

    [Fact]
    public async Task Missing_executable_is_a_StartError_naming_the_file()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var podDirectory = sandbox.PodDirectory("pod");
        var byPath = await sandbox.StartAsync("/nonexistent/bin/sensor-reader", "--fast");
        var byName = await sandbox.Runtime.StartAsync(
            ProcessRuntimeSandbox.Launch(podDirectory, "no-such-program-edgecloud") with { ContainerName = "second" }, sandbox.Token);
        var nothing = await sandbox.Runtime.StartAsync(
            ProcessRuntimeSandbox.Launch(podDirectory) with { ContainerName = "third" }, sandbox.Token);

        foreach (var (id, named) in new[] { (byPath, "/nonexistent/bin/sensor-reader"), (byName, "no-such-program-edgecloud"), (nothing, "needs command or args") })
        {
            var state = await sandbox.Runtime.InspectAsync(id, sandbox.Token);
            Assert.NotNull(state);
            Assert.False(state.Running);
            Assert.Equal("StartError", state.Reason);
            Assert.Equal(128, state.ExitCode);
            Assert.Null(state.StartedAt);
            Assert.Contains(named, state.Message, StringComparison.Ordinal);
            Assert.Equal(128, await sandbox.Runtime.WaitForExitAsync(id, sandbox.Token));
        }

        Assert.Equal(3, (await sandbox.Runtime.ListAsync(sandbox.Token)).Count);
        Assert.Empty(ProcessRuntimeSandbox.ProcessesWorkingIn(podDirectory));
    }

    [Fact]
    public async Task Remove_deletes_the_state_and_logs_and_kills_a_running_container()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var id = await sandbox.StartAsync("sleep", "30");
        var stateDirectory = Path.Combine(sandbox.PodDirectory("pod"), ProcessRuntime.StateDirectoryName, id);
        Assert.True(File.Exists(Path.Combine(stateDirectory, "log")));

        await sandbox.Runtime.RemoveAsync(id, sandbox.Token);

        Assert.False(Directory.Exists(stateDirectory));
        Assert.Null(await sandbox.Runtime.InspectAsync(id, sandbox.Token));
        Assert.Empty(await sandbox.Runtime.ListAsync(sandbox.Token));
        Assert.Empty(ProcessRuntimeSandbox.ProcessesWorkingIn(sandbox.PodDirectory("pod")));
        await sandbox.Runtime.RemoveAsync(id, sandbox.Token);
        await sandbox.Runtime.StopAsync(id, TimeSpan.FromSeconds(1), sandbox.Token);
    }

    [Fact]
    public async Task Container_started_before_the_host_rebooted_is_not_running_even_if_its_pid_is_taken()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var id = await sandbox.StartAsync("sleep", "30");
        var stateFile = Path.Combine(sandbox.PodDirectory("pod"), ProcessRuntime.StateDirectoryName, id, "state.json");
        var record = System.Text.Json.JsonSerializer.Deserialize(await File.ReadAllBytesAsync(stateFile, sandbox.Token), ProcessRuntimeJsonContext.Default.ProcessContainerRecord)!;
        Assert.Equal(HostProcesses.BootId, record.BootId);
        // As after a reboot: the recorded pids are alive (here: still the same processes), but from another boot.
        await File.WriteAllBytesAsync(stateFile, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(record with { BootId = "another-boot" }, ProcessRuntimeJsonContext.Default.ProcessContainerRecord), sandbox.Token);

        await using var restarted = sandbox.NewRuntime();
        var state = await restarted.InspectAsync(id, sandbox.Token);
        Assert.False(state!.Running);
        Assert.Equal("ContainerStatusUnknown", state.Reason);
    }

    [Fact]
    public async Task Container_whose_wrapper_alone_was_killed_runs_on_and_can_still_be_stopped()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var id = await sandbox.StartAsync("sleep", "30");
        var pidFile = Path.Combine(sandbox.PodDirectory("pod"), ProcessRuntime.StateDirectoryName, id, "pid");
        var wrapper = int.Parse((await File.ReadAllTextAsync(pidFile, sandbox.Token)).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(HostProcesses.SignalProcess(wrapper, HostProcesses.SigKill));
        await using var restarted = sandbox.NewRuntime();
        var waiting = sandbox.Runtime.WaitForExitAsync(id, sandbox.Token);

        Assert.True((await restarted.InspectAsync(id, sandbox.Token))!.Running);
        Assert.False(waiting.IsCompleted);
        await restarted.StopAsync(id, TimeSpan.FromSeconds(15), sandbox.Token);

        // Nobody was left to record the status.
        Assert.Equal(137, await waiting.WaitAsync(ProcessRuntimeSandbox.Patience, sandbox.Token));
        Assert.Equal("ContainerStatusUnknown", (await restarted.InspectAsync(id, sandbox.Token))!.Reason);
        Assert.Empty(ProcessRuntimeSandbox.ProcessesWorkingIn(sandbox.PodDirectory("pod")));
    }
}
