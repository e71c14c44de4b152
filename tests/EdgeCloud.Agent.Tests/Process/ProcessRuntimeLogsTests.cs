using EdgeCloud.Agent.Runtime;

namespace EdgeCloud.Agent.Tests.Process;

public sealed class ProcessRuntimeLogsTests
{
    [Fact]
    public async Task Tail_and_limit_cut_the_log_of_an_exited_container()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var id = await sandbox.StartAsync("/bin/sh", "-c", "printf 'l1\\nl2\\nl3\\nl4\\n'; echo err >&2");
        Assert.Equal(0, await sandbox.Runtime.WaitForExitAsync(id, sandbox.Token));

        Assert.Equal("l1\nl2\nl3\nl4\nerr\n", await sandbox.LogsAsync(id));
        Assert.Equal("l4\nerr\n", await sandbox.LogsAsync(id, new ContainerLogRequest { TailLines = 2 }));
        Assert.Equal("l1\nl2\nl3\nl4\nerr\n", await sandbox.LogsAsync(id, new ContainerLogRequest { TailLines = 50 }));
        Assert.Equal("", await sandbox.LogsAsync(id, new ContainerLogRequest { TailLines = 0 }));
        Assert.Equal("l1\nl2", await sandbox.LogsAsync(id, new ContainerLogRequest { LimitBytes = 5 }));
        Assert.Equal("l4", await sandbox.LogsAsync(id, new ContainerLogRequest { TailLines = 2, LimitBytes = 2 }));
    }

    [Fact]
    public async Task Tail_counts_an_unterminated_last_line()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var id = await sandbox.StartAsync("/bin/sh", "-c", "printf 'a\\nb\\nc'");
        await sandbox.Runtime.WaitForExitAsync(id, sandbox.Token);

        Assert.Equal("b\nc", await sandbox.LogsAsync(id, new ContainerLogRequest { TailLines = 2 }));
    }

    [Fact]
    public async Task Follow_streams_output_as_it_is_written_and_ends_once_the_container_has_exited()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var id = await sandbox.StartAsync("/bin/sh", "-c", "echo first; while [ ! -e go ]; do sleep 0.05; done; echo second");
        var sink = new TextWatchingStream("first\n");
        var follow = sandbox.Runtime.WriteLogsAsync(id, new ContainerLogRequest { Follow = true }, sink, sandbox.Token);

        await sink.Seen.WaitAsync(ProcessRuntimeSandbox.Patience, sandbox.Token);
        Assert.False(follow.IsCompleted);
        await File.WriteAllTextAsync(Path.Combine(sandbox.PodDirectory("pod"), "go"), "", sandbox.Token);

        await follow.WaitAsync(ProcessRuntimeSandbox.Patience, sandbox.Token);
        Assert.Equal("first\nsecond\n", sink.Text);
        Assert.False((await sandbox.Runtime.InspectAsync(id, sandbox.Token))!.Running);
    }

    [Fact]
    public async Task Follow_ends_when_cancelled_while_the_container_runs()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var id = await sandbox.StartAsync("/bin/sh", "-c", "echo up; sleep 30");
        var sink = new TextWatchingStream("up\n");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(sandbox.Token);
        var follow = sandbox.Runtime.WriteLogsAsync(id, new ContainerLogRequest { Follow = true, TailLines = 1 }, sink, cancel.Token);
        await sink.Seen.WaitAsync(ProcessRuntimeSandbox.Patience, sandbox.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => follow.WaitAsync(ProcessRuntimeSandbox.Patience, sandbox.Token));
        Assert.True((await sandbox.Runtime.InspectAsync(id, sandbox.Token))!.Running);
    }

    [Fact]
    public async Task Follow_stops_at_the_byte_limit()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var id = await sandbox.StartAsync("/bin/sh", "-c", "echo 0123456789; sleep 30");
        var sink = new TextWatchingStream("0123");

        await sandbox.Runtime.WriteLogsAsync(id, new ContainerLogRequest { Follow = true, LimitBytes = 4 }, sink, sandbox.Token)
            .WaitAsync(ProcessRuntimeSandbox.Patience, sandbox.Token);
        Assert.Equal("0123", sink.Text);
    }

    [Fact]
    public async Task Since_after_the_last_write_skips_the_existing_output_and_before_it_keeps_all()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var id = await sandbox.StartAsync("echo", "old");
        await sandbox.Runtime.WaitForExitAsync(id, sandbox.Token);
        var written = File.GetLastWriteTimeUtc(Path.Combine(sandbox.PodDirectory("pod"), ".containers", id, "log"));

        Assert.Equal("", await sandbox.LogsAsync(id, new ContainerLogRequest { Since = new DateTimeOffset(written, TimeSpan.Zero).AddSeconds(1) }));
        Assert.Equal("old\n", await sandbox.LogsAsync(id, new ContainerLogRequest { Since = new DateTimeOffset(written, TimeSpan.Zero).AddSeconds(-1) }));
    }

    [Fact]
    public async Task Each_attempt_keeps_its_own_log_until_it_is_removed()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var launch = ProcessRuntimeSandbox.Launch(sandbox.PodDirectory("pod"), "/bin/sh", "-c", "echo attempt-$ATTEMPT");
        var first = await sandbox.Runtime.StartAsync(launch with { Environment = [new("ATTEMPT", "0")] }, sandbox.Token);
        await sandbox.Runtime.WaitForExitAsync(first, sandbox.Token);
        var second = await sandbox.Runtime.StartAsync(launch with { Attempt = 1, Environment = [new("ATTEMPT", "1")] }, sandbox.Token);
        await sandbox.Runtime.WaitForExitAsync(second, sandbox.Token);

        Assert.Equal([0, 1], (await sandbox.Runtime.ListAsync(sandbox.Token)).Select(s => s.Attempt));
        Assert.Equal("attempt-0\n", await sandbox.LogsAsync(first));
        Assert.Equal("attempt-1\n", await sandbox.LogsAsync(second));

        await sandbox.Runtime.RemoveAsync(first, sandbox.Token);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => sandbox.LogsAsync(first));
        Assert.Equal(second, Assert.Single(await sandbox.Runtime.ListAsync(sandbox.Token)).Id);
    }
}
