using System.Text;
using EdgeCloud.Agent.Runtime;

namespace EdgeCloud.Agent.Tests.Process;

public sealed class ProcessRuntimeExecTests
{
    [Fact]
    public async Task Exec_feeds_stdin_returns_stdout_stderr_and_the_exit_code_with_the_container_env()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var launch = ProcessRuntimeSandbox.Launch(sandbox.PodDirectory("pod"), "sleep", "30") with
        {
            Environment = [new("GREETING", "hello")],
            WorkingDirectory = "app",
        };
        var id = await sandbox.Runtime.StartAsync(launch, sandbox.Token);
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();

        // cat ends only when its stdin is closed: the exec's input ending must close it.
        var code = await sandbox.Runtime.ExecAsync(id, new ContainerExec
        {
            Command = ["sh", "-c", "cat; echo \"$GREETING from $(pwd)\"; echo oops >&2; exit 7"],
            Stdin = new MemoryStream(Encoding.UTF8.GetBytes("line one\nline two\n")),
            Stdout = stdout,
            Stderr = stderr,
        }, sandbox.Token);

        Assert.Equal(7, code);
        Assert.Equal($"line one\nline two\nhello from {Path.Combine(sandbox.PodDirectory("pod"), "app")}\n", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal("oops\n", Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [Fact]
    public async Task Exec_without_stdin_sees_it_closed_and_with_tty_gets_both_streams_on_stdout()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var id = await sandbox.StartAsync("sleep", "30");
        using var output = new MemoryStream();

        var code = await sandbox.Runtime.ExecAsync(id, new ContainerExec
        {
            Command = ["sh", "-c", "cat; echo out; echo err >&2"],
            Stdout = output,
            Tty = true,
        }, sandbox.Token);

        Assert.Equal(0, code);
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Contains("out\n", text, StringComparison.Ordinal);
        Assert.Contains("err\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_of_a_missing_command_returns_127_and_says_why()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var id = await sandbox.StartAsync("sleep", "30");
        using var stderr = new MemoryStream();

        var code = await sandbox.Runtime.ExecAsync(id, new ContainerExec { Command = ["no-such-tool-edgecloud"], Stderr = stderr }, sandbox.Token);

        Assert.Equal(127, code);
        Assert.Contains("no-such-tool-edgecloud", Encoding.UTF8.GetString(stderr.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_works_for_a_container_of_an_earlier_agent_run_and_is_refused_once_it_has_exited()
    {
        await using var sandbox = new ProcessRuntimeSandbox();
        var launch = ProcessRuntimeSandbox.Launch(sandbox.PodDirectory("pod"), "sleep", "30") with { Environment = [new("SITE", "plant-7")] };
        var id = await sandbox.Runtime.StartAsync(launch, sandbox.Token);
        await sandbox.Runtime.DisposeAsync();
        await using var restarted = sandbox.NewRuntime();
        using var stdout = new MemoryStream();

        Assert.Equal(0, await restarted.ExecAsync(id, new ContainerExec { Command = ["sh", "-c", "echo $SITE"], Stdout = stdout }, sandbox.Token));
        Assert.Equal("plant-7\n", Encoding.UTF8.GetString(stdout.ToArray()));

        await restarted.StopAsync(id, TimeSpan.FromSeconds(15), sandbox.Token);
        await Assert.ThrowsAsync<InvalidOperationException>(() => restarted.ExecAsync(id, new ContainerExec { Command = ["true"] }, sandbox.Token));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => restarted.ExecAsync("unknown-0-000000000000", new ContainerExec { Command = ["true"] }, sandbox.Token));
    }
}
