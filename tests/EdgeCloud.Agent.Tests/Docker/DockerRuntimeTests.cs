using System.Diagnostics;
using System.Text;
using EdgeCloud.Agent.Runtime;
using EdgeCloud.Agent.Runtime.Docker;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Agent.Tests.Docker;

/// <summary>The docker runtime against a real Podman (scripts/lib/podman.sh). Every test removes the containers it started.</summary>
public sealed class DockerRuntimeTests : IAsyncDisposable
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(90);

    private readonly List<string> _podUids = [];
    private readonly List<string> _hostDirectories = [];
    private readonly CancellationTokenSource _timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private DockerRuntime? _runtime;

    public DockerRuntimeTests() => _timeout.CancelAfter(TestTimeout);

    private CancellationToken Token => _timeout.Token;

    [Fact]
    public async Task Running_container_serves_logs_with_timestamps_and_tail_and_stops_within_the_grace()
    {
        var runtime = Runtime();
        var id = await runtime.StartAsync(Launch("web", ["sh", "-c", "echo first; echo hello; sleep 30"]), Token);

        await FollowUntilAsync(runtime, id, "hello");
        var running = await runtime.InspectAsync(id, Token);
        Assert.NotNull(running);
        Assert.True(running.Running);
        Assert.NotNull(running.StartedAt);
        Assert.Null(running.ExitCode);
        Assert.Equal("web", running.ContainerName);
        Assert.Equal(PodmanEngine.Image(), running.Image);
        Assert.StartsWith("sha256:", running.ImageId ?? "", StringComparison.Ordinal);

        var all = await LogsAsync(runtime, id, new ContainerLogRequest());
        Assert.Equal("first\nhello\n", all);

        var tail = await LogsAsync(runtime, id, new ContainerLogRequest { TailLines = 1, Timestamps = true });
        var line = Assert.Single(tail.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        Assert.True(space > 0, $"no timestamp in \"{line}\"");
        Assert.True(DateTimeOffset.TryParse(line[..space], out var stamp), $"\"{line[..space]}\" is not a timestamp");
        Assert.InRange(stamp, running.StartedAt.Value.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal("hello", line[(space + 1)..]);

        var limited = await LogsAsync(runtime, id, new ContainerLogRequest { LimitBytes = 3 });
        Assert.Equal("fir", limited);

        Assert.Equal("first\nhello\n", await LogsAsync(runtime, id, new ContainerLogRequest { Since = running.StartedAt.Value.AddSeconds(-10) }));
        Assert.Equal("", await LogsAsync(runtime, id, new ContainerLogRequest { Since = DateTimeOffset.UtcNow.AddHours(1) }));

        var grace = TimeSpan.FromSeconds(2);
        var watch = Stopwatch.StartNew();
        await runtime.StopAsync(id, grace, Token);
        watch.Stop();
        Assert.True(watch.Elapsed < grace + TimeSpan.FromSeconds(8), $"stop took {watch.Elapsed}");

        var stopped = await runtime.InspectAsync(id, Token);
        Assert.NotNull(stopped);
        Assert.False(stopped.Running);
        Assert.Contains(stopped.ExitCode, new int?[] { 143, 137 });
        Assert.Equal("Error", stopped.Reason);
        Assert.NotNull(stopped.FinishedAt);
        Assert.Equal(stopped.ExitCode, await runtime.WaitForExitAsync(id, Token));
    }

    [Fact]
    public async Task Container_that_handles_SIGTERM_exits_with_it_before_the_grace()
    {
        var runtime = Runtime();
        var id = await runtime.StartAsync(Launch("term", ["sh", "-c", "trap 'exit 143' TERM; echo ready; sleep 30 & wait"]), Token);
        await FollowUntilAsync(runtime, id, "ready");

        var grace = TimeSpan.FromSeconds(20);
        var watch = Stopwatch.StartNew();
        await runtime.StopAsync(id, grace, Token);
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"stop took {watch.Elapsed}: SIGTERM was not delivered");
        Assert.Equal(143, await runtime.WaitForExitAsync(id, Token));
    }

    [Fact]
    public async Task Container_ignoring_SIGTERM_is_killed_after_the_grace()
    {
        var runtime = Runtime();
        var id = await runtime.StartAsync(Launch("stubborn", ["sh", "-c", "trap '' TERM; echo ready; sleep 30 & wait; sleep 30"]), Token);
        await FollowUntilAsync(runtime, id, "ready");

        var grace = TimeSpan.FromSeconds(2);
        var watch = Stopwatch.StartNew();
        await runtime.StopAsync(id, grace, Token);
        watch.Stop();

        Assert.True(watch.Elapsed >= grace - TimeSpan.FromMilliseconds(200), $"killed after {watch.Elapsed}, before the grace of {grace}");
        Assert.True(watch.Elapsed < grace + TimeSpan.FromSeconds(8), $"stop took {watch.Elapsed}");
        var state = await runtime.InspectAsync(id, Token);
        Assert.Equal(137, state?.ExitCode);
        Assert.Equal("Error", state?.Reason);
    }

    [Fact]
    public async Task Exit_code_and_reason_are_reported()
    {
        var runtime = Runtime();
        var failed = await runtime.StartAsync(Launch("fails", ["sh", "-c", "exit 3"]), Token);
        var succeeded = await runtime.StartAsync(Launch("succeeds", ["true"]), Token);

        Assert.Equal(3, await runtime.WaitForExitAsync(failed, Token));
        Assert.Equal(0, await runtime.WaitForExitAsync(succeeded, Token));

        var failedState = await runtime.InspectAsync(failed, Token);
        Assert.NotNull(failedState);
        Assert.False(failedState.Running);
        Assert.Equal(3, failedState.ExitCode);
        Assert.Equal("Error", failedState.Reason);
        Assert.NotNull(failedState.FinishedAt);
        Assert.True(failedState.FinishedAt >= failedState.StartedAt, $"finished {failedState.FinishedAt:O} before it started {failedState.StartedAt:O}");

        var succeededState = await runtime.InspectAsync(succeeded, Token);
        Assert.Equal(0, succeededState?.ExitCode);
        Assert.Equal("Completed", succeededState?.Reason);
    }

    [Fact]
    public async Task Command_replaces_the_image_entrypoint_and_drops_its_cmd_and_args_replace_cmd()
    {
        var runtime = Runtime();
        // The image: ENTRYPOINT ["echo", "entry"], CMD ["from-cmd"]. Kubernetes: command replaces ENTRYPOINT (and
        // the image's CMD is then not used), args replace CMD.
        var image = PodmanEngine.EntrypointImage();
        var neither = await runtime.StartAsync(Launch("neither", []) with { Image = image }, Token);
        var commandOnly = await runtime.StartAsync(Launch("command", ["echo", "cmd"]) with { Image = image }, Token);
        var argsOnly = await runtime.StartAsync(Launch("args", [], ["from", "args"]) with { Image = image }, Token);
        var both = await runtime.StartAsync(Launch("both", ["echo", "cmd:"], ["arg1", "arg2"]) with { Image = image }, Token);

        foreach (var id in new[] { neither, commandOnly, argsOnly, both })
        {
            Assert.Equal(0, await runtime.WaitForExitAsync(id, Token));
        }

        Assert.Equal("entry from-cmd\n", await LogsAsync(runtime, neither, new ContainerLogRequest()));
        Assert.Equal("cmd\n", await LogsAsync(runtime, commandOnly, new ContainerLogRequest()));
        Assert.Equal("entry from args\n", await LogsAsync(runtime, argsOnly, new ContainerLogRequest()));
        Assert.Equal("cmd: arg1 arg2\n", await LogsAsync(runtime, both, new ContainerLogRequest()));
    }

    [Fact]
    public async Task Environment_working_directory_and_mounts_are_seen_inside_and_read_only_is_enforced()
    {
        var runtime = Runtime();
        var config = HostDirectory();
        var data = HostDirectory();
        await File.WriteAllTextAsync(Path.Combine(config, "settings.txt"), "from-the-host", Token);

        var script = """
            echo "greeting=$GREETING"
            echo "second=$SECOND"
            echo "pwd=$(pwd)"
            echo "config=$(cat /config/settings.txt)"
            if (echo x > /config/new.txt) 2>/dev/null; then echo "config-writable"; else echo "config-read-only"; fi
            echo written > /data/out.txt && echo "data-writable"
            """;
        var launch = Launch("mounts", ["sh", "-c", script]) with
        {
            Environment = [new("GREETING", "hello world"), new("SECOND", "a=b")],
            WorkingDirectory = "/tmp",
            Mounts = [new ContainerMount(config, "/config", ReadOnly: true), new ContainerMount(data, "/data", ReadOnly: false)],
        };
        var id = await runtime.StartAsync(launch, Token);
        Assert.Equal(0, await runtime.WaitForExitAsync(id, Token));

        var output = await LogsAsync(runtime, id, new ContainerLogRequest());
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            // The refused write's complaint goes to /dev/null in the script: Podman orders stdout and stderr lines by
            // arrival, and a stderr line split in two could land between stdout lines.
            .ToArray();
        Assert.Equal(
            ["greeting=hello world", "second=a=b", "pwd=/tmp", "config=from-the-host", "config-read-only", "data-writable"],
            lines);
        Assert.False(File.Exists(Path.Combine(config, "new.txt")));
        Assert.Equal("written\n", await File.ReadAllTextAsync(Path.Combine(data, "out.txt"), Token));
    }

    [Fact]
    public async Task Cpu_and_memory_limits_and_the_cpu_request_are_the_containers_cgroup_settings()
    {
        var runtime = Runtime();
        // cgroup v2 files where the engine uses v2, the v1 files otherwise (this VM's Podman runs on v1).
        var script = """
            if [ -e /sys/fs/cgroup/memory.max ]; then
              echo "memory=$(cat /sys/fs/cgroup/memory.max)"
              echo "swap=$(cat /sys/fs/cgroup/memory.swap.max 2>/dev/null || echo unaccounted)"
              echo "cpu=$(cat /sys/fs/cgroup/cpu.max)"
              echo "weight=$(cat /sys/fs/cgroup/cpu.weight)"
            else
              memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)
              echo "memory=$memory"
              if [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]; then
                echo "swap=$(( $(cat /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes) - memory ))"
              else
                echo "swap=unaccounted"
              fi
              echo "cpu=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)"
              echo "shares=$(cat /sys/fs/cgroup/cpu/cpu.shares)"
            fi
            """;
        var launch = Launch("limits", ["sh", "-c", script]) with
        {
            Resources = new ContainerResources { MemoryLimitBytes = 64 << 20, CpuLimitMillicores = 250, CpuRequestMillicores = 100 },
        };
        var id = await runtime.StartAsync(launch, Token);
        Assert.Equal(0, await runtime.WaitForExitAsync(id, Token));

        var output = await LogsAsync(runtime, id, new ContainerLogRequest());
        var seen = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => l.Split('=', 2)).ToDictionary(static p => p[0], static p => p[1]);
        Assert.Equal("67108864", seen["memory"]);
        Assert.Contains(seen["swap"], new[] { "0", "unaccounted" });
        Assert.Equal("25000 100000", seen["cpu"]);
        // 100m is 102 shares (1,024 per core); on cgroup v2 the engine maps shares to weight 1 + (102 - 2) * 9999 / 262142.
        Assert.Equal(seen.ContainsKey("shares") ? "102" : "4", seen.GetValueOrDefault("shares") ?? seen["weight"]);
    }

    [Fact]
    public async Task A_container_past_its_memory_limit_is_killed_and_the_same_one_without_a_limit_is_not()
    {
        var runtime = Runtime();
        // The shell holds 40 MB in a variable: past a 16 MiB limit the kernel's OOM killer ends it.
        var script = "x=$(head -c 40000000 /dev/zero | tr '\\0' a); echo kept ${#x}";
        var limited = await runtime.StartAsync(Launch("limited", ["sh", "-c", script]) with { Resources = new ContainerResources { MemoryLimitBytes = 16 << 20 } }, Token);
        var unlimited = await runtime.StartAsync(Launch("unlimited", ["sh", "-c", script]), Token);

        Assert.Equal(137, await runtime.WaitForExitAsync(limited, Token));
        Assert.Equal(0, await runtime.WaitForExitAsync(unlimited, Token));
        Assert.Equal("kept 40000000\n", await LogsAsync(runtime, unlimited, new ContainerLogRequest()));
        // Docker reports OOMKilled as the reason; Podman on cgroup v1 (as here) reports a plain kill, so either is right.
        Assert.Contains((await runtime.InspectAsync(limited, Token))?.Reason, new[] { "OOMKilled", "Error" });
    }

    [Fact]
    public async Task A_new_runtime_instance_lists_the_containers_an_earlier_one_started()
    {
        var first = Runtime();
        var launch = Launch("survivor", ["sh", "-c", "echo up; sleep 30"]) with { Attempt = 2 };
        var id = await first.StartAsync(launch, Token);
        await first.DisposeAsync();
        _runtime = null;

        await using var second = new DockerRuntime(new DockerRuntimeOptions { SocketPath = PodmanEngine.SocketPath() }, NullLogger<DockerRuntime>.Instance, TimeProvider.System);
        var listed = await second.ListAsync(Token);

        var mine = Assert.Single(listed, s => s.PodUid == launch.PodUid);
        Assert.Equal(id, mine.Id);
        Assert.Equal(launch.PodNamespace, mine.PodNamespace);
        Assert.Equal(launch.PodName, mine.PodName);
        Assert.Equal("survivor", mine.ContainerName);
        Assert.Equal(2, mine.Attempt);
        Assert.True(mine.Running);
    }

    [Fact]
    public async Task Starting_the_same_attempt_twice_returns_the_one_container()
    {
        var runtime = Runtime();
        var launch = Launch("once", ["sh", "-c", "sleep 30"]);

        var first = await runtime.StartAsync(launch, Token);
        var again = await runtime.StartAsync(launch, Token);
        var concurrent = await Task.WhenAll(runtime.StartAsync(launch, Token), runtime.StartAsync(launch, Token));
        var nextAttempt = await runtime.StartAsync(launch with { Attempt = 1 }, Token);

        Assert.Equal(first, again);
        Assert.All(concurrent, id => Assert.Equal(first, id));
        Assert.NotEqual(first, nextAttempt);
        var mine = (await runtime.ListAsync(Token)).Where(s => s.PodUid == launch.PodUid).ToList();
        Assert.Equal(2, mine.Count);
        Assert.Equal([0, 1], mine.Select(s => s.Attempt).Order());
    }

    [Fact]
    public async Task Exec_passes_stdin_to_the_command_and_returns_its_output_and_exit_code()
    {
        var runtime = Runtime();
        var id = await runtime.StartAsync(Launch("shell", ["sh", "-c", "sleep 30"]), Token);

        var input = string.Join('\n', Enumerable.Range(1, 2000).Select(i => $"line {i}")) + "\n";
        var stdout = new MemoryStream();
        var catCode = await runtime.ExecAsync(id, new ContainerExec { Command = ["cat"], Stdin = new MemoryStream(Encoding.UTF8.GetBytes(input)), Stdout = stdout }, Token);
        Assert.Equal(0, catCode);
        Assert.Equal(input, Encoding.UTF8.GetString(stdout.ToArray()));

        var outStream = new MemoryStream();
        var errStream = new MemoryStream();
        var code = await runtime.ExecAsync(
            id,
            new ContainerExec { Command = ["sh", "-c", "echo out; echo err >&2; exit 7"], Stdout = outStream, Stderr = errStream },
            Token);
        Assert.Equal(7, code);
        Assert.Equal("out\n", Encoding.UTF8.GetString(outStream.ToArray()));
        Assert.Equal("err\n", Encoding.UTF8.GetString(errStream.ToArray()));
    }

    [Fact]
    public async Task Following_the_log_of_a_container_ends_when_it_exits()
    {
        var runtime = Runtime();
        var id = await runtime.StartAsync(Launch("short", ["sh", "-c", "echo one; echo two >&2; sleep 1; echo three"]), Token);

        // No cancellation: the engine ends the stream once the container has exited.
        var output = await LogsAsync(runtime, id, new ContainerLogRequest { Follow = true });

        Assert.Equal(["one", "three", "two"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
        Assert.False((await runtime.InspectAsync(id, Token))?.Running);
    }

    [Fact]
    public async Task Tty_container_logs_are_raw_terminal_output()
    {
        var runtime = Runtime();
        var id = await runtime.StartAsync(Launch("terminal", ["sh", "-c", "echo tty-out; [ -t 1 ] && echo is-a-tty"]) with { Tty = true }, Token);
        Assert.Equal(0, await runtime.WaitForExitAsync(id, Token));

        var output = await LogsAsync(runtime, id, new ContainerLogRequest());

        // A terminal turns \n into \r\n; a multiplexed stream read as raw would show its 8-byte headers instead.
        Assert.Equal("tty-out\r\nis-a-tty\r\n", output);
    }

    [Fact]
    public async Task Exec_with_a_tty_applies_resizes()
    {
        var runtime = Runtime();
        var id = await runtime.StartAsync(Launch("resize", ["sh", "-c", "sleep 30"]), Token);

        var resized = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stdin = new System.IO.Pipelines.Pipe();
        var feeder = Task.Run(async () =>
        {
            // Only once the runtime has sent the resize (it asks for the next size after that) does the command go on.
            await resized.Task.WaitAsync(Token);
            await stdin.Writer.WriteAsync("go\n"u8.ToArray(), Token);
            await stdin.Writer.CompleteAsync();
        });
        var stdout = new MemoryStream();

        var code = await runtime.ExecAsync(
            id,
            new ContainerExec { Command = ["sh", "-c", "read x; stty size"], Tty = true, Stdin = stdin.Reader.AsStream(), Stdout = stdout, Resize = Sizes(resized, Token) },
            Token);
        await feeder;

        Assert.Equal(0, code);
        Assert.Contains("30 100", Encoding.UTF8.GetString(stdout.ToArray()), StringComparison.Ordinal);
    }

    private static async IAsyncEnumerable<(int Columns, int Rows)> Sizes(TaskCompletionSource resized, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return (100, 30);
        resized.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    [Theory]
    [InlineData("IfNotPresent")]
    [InlineData("Never")]
    public async Task An_image_already_there_is_reported_as_present_and_not_pulled(string policy)
    {
        var runtime = Runtime();
        var heard = new List<(string Reason, string Message)>();
        var launch = Launch("present", ["true"]) with { ImagePullPolicy = policy, ImageProgress = (reason, message) => heard.Add((reason, message)) };

        Assert.Equal(0, await runtime.WaitForExitAsync(await runtime.StartAsync(launch, Token), Token));

        Assert.Equal([("Pulled", $"Container image \"{PodmanEngine.Image()}\" already present on machine")], heard);
    }

    [Fact]
    public async Task Missing_image_with_pull_policy_Never_fails_with_ErrImageNeverPull()
    {
        var runtime = Runtime();
        var launch = Launch("missing", ["true"]) with { Image = "localhost/edgecloud-no-such-image:never", ImagePullPolicy = "Never" };

        var error = await Assert.ThrowsAsync<ImagePullException>(() => runtime.StartAsync(launch, Token));

        Assert.Equal(ImagePullException.NeverPull, error.Reason);
        Assert.Equal(launch.Image, error.Image);
        Assert.Contains("localhost/edgecloud-no-such-image:never", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await runtime.ListAsync(Token), s => s.PodUid == launch.PodUid);
    }

    [Fact]
    public async Task Image_that_cannot_be_pulled_fails_with_ErrImagePull_and_the_engine_message()
    {
        var runtime = Runtime();
        // Port 1 on loopback refuses at once: a pull that fails without waiting on a network.
        var heard = new List<(string Reason, string Message)>();
        var launch = Launch("unpullable", ["true"]) with
        {
            Image = "127.0.0.1:1/edgecloud/missing:test",
            ImagePullPolicy = "IfNotPresent",
            ImageProgress = (reason, message) => heard.Add((reason, message)),
        };

        var error = await Assert.ThrowsAsync<ImagePullException>(() => runtime.StartAsync(launch, Token));

        Assert.Equal([("Pulling", "Pulling image \"127.0.0.1:1/edgecloud/missing:test\"")], heard);
        Assert.Equal(ImagePullException.PullFailed, error.Reason);
        Assert.Contains("127.0.0.1:1/edgecloud/missing:test", error.Message, StringComparison.Ordinal);
        // The engine's own words follow the image name.
        Assert.True(error.Message.Length > $"Failed to pull image \"{launch.Image}\": ".Length + 5, error.Message);
    }

    [Fact]
    public async Task Unknown_container_ids_are_null_or_no_ops_and_engine_errors_carry_its_message()
    {
        var runtime = Runtime();
        const string unknown = "edgecloud-no-such-container";

        Assert.Null(await runtime.InspectAsync(unknown, Token));
        await runtime.StopAsync(unknown, TimeSpan.FromSeconds(1), Token);
        await runtime.RemoveAsync(unknown, Token);

        var error = await Assert.ThrowsAsync<DockerEngineException>(() => runtime.WaitForExitAsync(unknown, Token));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains(unknown, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removed_container_is_gone_from_inspect_and_list()
    {
        var runtime = Runtime();
        var launch = Launch("removed", ["sh", "-c", "sleep 30"]);
        var id = await runtime.StartAsync(launch, Token);

        await runtime.StopAsync(id, TimeSpan.Zero, Token);
        await runtime.RemoveAsync(id, Token);

        Assert.Null(await runtime.InspectAsync(id, Token));
        Assert.DoesNotContain(await runtime.ListAsync(Token), s => s.PodUid == launch.PodUid);
    }

    public async ValueTask DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable(PodmanEngine.SocketVariable) is { Length: > 0 } socket && _podUids.Count > 0)
        {
            await using var cleaner = new DockerRuntime(new DockerRuntimeOptions { SocketPath = socket }, NullLogger<DockerRuntime>.Instance, TimeProvider.System);
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            foreach (var state in await cleaner.ListAsync(cleanup.Token))
            {
                if (_podUids.Contains(state.PodUid))
                {
                    await cleaner.RemoveAsync(state.Id, cleanup.Token);
                }
            }
        }

        if (_runtime is not null)
        {
            await _runtime.DisposeAsync();
        }

        foreach (var directory in _hostDirectories)
        {
            Directory.Delete(directory, recursive: true);
        }

        _timeout.Dispose();
    }

    private DockerRuntime Runtime() =>
        _runtime ??= new DockerRuntime(new DockerRuntimeOptions { SocketPath = PodmanEngine.SocketPath() }, NullLogger<DockerRuntime>.Instance, TimeProvider.System);

    private ContainerLaunch Launch(string container, IReadOnlyList<string> command, IReadOnlyList<string>? args = null)
    {
        var uid = Guid.NewGuid().ToString();
        _podUids.Add(uid);
        return new ContainerLaunch
        {
            PodUid = uid,
            PodNamespace = "dockertest",
            PodName = "pod-" + uid[..8],
            ContainerName = container,
            Attempt = 0,
            Image = PodmanEngine.Image(),
            ImagePullPolicy = "IfNotPresent",
            Command = command,
            Args = args ?? [],
            PodDirectory = Path.GetTempPath(),
        };
    }

    private string HostDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("edgecloud-docker-test-").FullName;
        _hostDirectories.Add(directory);
        return directory;
    }

    private async Task<string> LogsAsync(DockerRuntime runtime, string id, ContainerLogRequest request)
    {
        var output = new MemoryStream();
        await runtime.WriteLogsAsync(id, request, output, Token);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    // Follows the log until the text appears: the container has got that far.
    private async Task FollowUntilAsync(DockerRuntime runtime, string id, string text)
    {
        var watch = new TextWatchStream();
        using var follow = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var logs = runtime.WriteLogsAsync(id, new ContainerLogRequest { Follow = true }, watch, follow.Token);
        var seen = watch.WaitForAsync(text);
        await Task.WhenAny(seen, logs).WaitAsync(Token);
        await follow.CancelAsync();
        try
        {
            await logs;
        }
        catch (OperationCanceledException)
        {
        }

        Assert.True(seen.IsCompleted, $"the log ended without \"{text}\": \"{watch.Text}\"");
    }
}
