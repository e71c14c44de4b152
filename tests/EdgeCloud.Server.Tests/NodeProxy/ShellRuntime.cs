using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeCloud.Agent.Runtime;
using EdgeCloud.Agent.Streams;

namespace EdgeCloud.Server.Tests.NodeProxy;

/// <summary>
/// A container runtime for the tests that really runs processes: a container is a /bin/sh script whose stdout and
/// stderr lines are kept as its log, and exec runs the command as a host process. It is also the resolver of the
/// agent's stream handler: pods map to the containers started for them with <see cref="Start"/>.
/// </summary>
internal sealed class ShellRuntime : IContainerRuntime, IPodContainerResolver
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ShellContainer> _containers = [];
    private readonly Dictionary<(string Namespace, string Pod, string Container), string> _byPod = [];
    private readonly System.Threading.Channels.Channel<string> _logStreamsEnded = System.Threading.Channels.Channel.CreateUnbounded<string>();
    private readonly System.Collections.Concurrent.ConcurrentQueue<(int Columns, int Rows)> _resizes = new();

    /// <summary>The command an exec names to make this runtime fail the exec itself (as a runtime whose container vanished).</summary>
    public const string FailingCommand = "__fail__";

    /// <summary>Container ids whose WriteLogsAsync returned, in order.</summary>
    public System.Threading.Channels.ChannelReader<string> LogStreamsEnded => _logStreamsEnded.Reader;

    private readonly System.Threading.Channels.Channel<string> _execsEnded = System.Threading.Channels.Channel.CreateUnbounded<string>();

    /// <summary>Container ids whose ExecAsync returned or threw, in order.</summary>
    public System.Threading.Channels.ChannelReader<string> ExecsEnded => _execsEnded.Reader;

    /// <summary>Terminal sizes exec calls received.</summary>
    public IReadOnlyCollection<(int Columns, int Rows)> Resizes => _resizes;

    public string Name => "process";

    /// <summary>Starts <paramref name="script"/> as container <paramref name="container"/> of the pod; returns its id.</summary>
    public string Start(string ns, string pod, string container, string script)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        var shell = new ShellContainer(Process.Start(start)!);
        lock (_lock)
        {
            _containers[id] = shell;
            _byPod[(ns, pod, container)] = id;
        }

        shell.Begin();
        return id;
    }

    /// <summary>The id of the container "main" of <paramref name="pod"/> in namespace default.</summary>
    public string IdOf(string pod, string container = "main")
    {
        lock (_lock)
        {
            return _byPod[("default", pod, container)];
        }
    }

    /// <summary>Writes <paramref name="text"/> to the container's stdin and closes it.</summary>
    public async Task FeedAsync(string id, string text)
    {
        var process = Container(id).Process;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
    }

    public Task<ContainerResolution> ResolveAsync(PodContainerQuery query, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_byPod.TryGetValue((query.Namespace, query.Pod, query.Container), out var id)
                ? ContainerResolution.Of(this, id)
                : ContainerResolution.NotFound($"container \"{query.Container}\" in pod \"{query.Pod}\" is waiting to start: ContainerCreating"));
        }
    }

    public Task<string> StartAsync(ContainerLaunch launch, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task StopAsync(string id, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        Container(id).Kill();
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string id, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<ContainerState?> InspectAsync(string id, CancellationToken cancellationToken) => Task.FromResult<ContainerState?>(null);

    public Task<IReadOnlyList<ContainerState>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ContainerState>>([]);

    public async Task<int> WaitForExitAsync(string id, CancellationToken cancellationToken)
    {
        var process = Container(id).Process;
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;
    }

    public async Task WriteLogsAsync(string id, ContainerLogRequest request, Stream output, CancellationToken cancellationToken)
    {
        var container = Container(id);
        try
        {
            await WriteLogLinesAsync(container, request, output, cancellationToken);
        }
        finally
        {
            _logStreamsEnded.Writer.TryWrite(id);
        }
    }

    private static async Task WriteLogLinesAsync(ShellContainer container, ContainerLogRequest request, Stream output, CancellationToken cancellationToken)
    {
        var next = -1;
        while (true)
        {
            var (lines, done, changed) = container.Snapshot();
            if (next < 0)
            {
                next = request.TailLines is { } tail ? Math.Max(0, lines.Count - tail) : 0;
            }

            for (; next < lines.Count; next++)
            {
                var (at, text) = lines[next];
                var line = request.Timestamps ? at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffZ", CultureInfo.InvariantCulture) + " " + text : text;
                await output.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
            }

            await output.FlushAsync(cancellationToken);
            if (!request.Follow || done)
            {
                return;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    public async Task<int> ExecAsync(string id, ContainerExec exec, CancellationToken cancellationToken)
    {
        try
        {
            return await RunExecAsync(id, exec, cancellationToken);
        }
        finally
        {
            _execsEnded.Writer.TryWrite(id);
        }
    }

    private async Task<int> RunExecAsync(string id, ContainerExec exec, CancellationToken cancellationToken)
    {
        _ = Container(id);
        if (exec.Command[0] == FailingCommand)
        {
            throw new InvalidOperationException("cannot exec in a stopped container");
        }

        var resizes = Task.Run(async () =>
        {
            if (exec.Resize is { } sizes)
            {
                await foreach (var size in sizes)
                {
                    _resizes.Enqueue(size);
                }
            }
        }, CancellationToken.None);
        var start = new ProcessStartInfo(exec.Command[0]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in exec.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var kill = cancellationToken.Register(() => process.Kill(entireProcessTree: true));
        var stdin = Task.Run(async () =>
        {
            try
            {
                if (exec.Stdin is { } input)
                {
                    await input.CopyToAsync(process.StandardInput.BaseStream, cancellationToken);
                }
            }
            finally
            {
                process.StandardInput.Close();
            }
        }, CancellationToken.None);
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(exec.Stdout ?? Stream.Null, cancellationToken);
        var stderr = process.StandardError.BaseStream.CopyToAsync(exec.Stderr ?? Stream.Null, cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await Task.WhenAll(stdout, stderr);
        _ = resizes;
        try
        {
            await stdin;
        }
        catch (IOException)
        {
            // The command exited without reading all of its input (a broken pipe).
        }

        return process.ExitCode;
    }

    public ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            foreach (var container in _containers.Values)
            {
                container.Kill();
            }
        }

        return ValueTask.CompletedTask;
    }

    private ShellContainer Container(string id)
    {
        lock (_lock)
        {
            return _containers.TryGetValue(id, out var container) ? container : throw new InvalidOperationException($"no container {id}");
        }
    }

    /// <summary>One running script and the lines it wrote so far.</summary>
    private sealed class ShellContainer(Process process)
    {
        private readonly Lock _lock = new();
        private readonly List<(DateTimeOffset At, string Text)> _lines = [];
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _openStreams = 2;

        public Process Process => process;

        public void Begin()
        {
            process.OutputDataReceived += (_, e) => OnLine(e.Data);
            process.ErrorDataReceived += (_, e) => OnLine(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public (List<(DateTimeOffset At, string Text)> Lines, bool Done, Task Changed) Snapshot()
        {
            lock (_lock)
            {
                return ([.. _lines], _openStreams == 0, _changed.Task);
            }
        }

        public void Kill()
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
        }

        private void OnLine(string? line)
        {
            TaskCompletionSource changed;
            lock (_lock)
            {
                if (line is null)
                {
                    _openStreams--;
                }
                else
                {
                    _lines.Add((DateTimeOffset.UtcNow, line));
                }

                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            changed.TrySetResult();
        }
    }
}
