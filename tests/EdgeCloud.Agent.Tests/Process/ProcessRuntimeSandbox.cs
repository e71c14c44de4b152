using System.Globalization;
using EdgeCloud.Agent.Runtime;
using EdgeCloud.Agent.Runtime.Process;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Agent.Tests.Process;

/// <summary>
/// One test's own pods directory and runtime. Disposing kills every process any runtime started under it (through
/// the wrappers' pid files, so also when the test failed half way) and deletes the directory.
/// </summary>
internal sealed class ProcessRuntimeSandbox : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly CancellationTokenSource _timeout;

    public ProcessRuntimeSandbox()
    {
        Root = Path.Combine(Path.GetTempPath(), "edgecloud-procrt-" + Guid.NewGuid().ToString("N"));
        PodsDirectory = Path.Combine(Root, "pods");
        Directory.CreateDirectory(PodsDirectory);
        Runtime = NewRuntime();
        _timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        _timeout.CancelAfter(TimeSpan.FromSeconds(60));
    }

    public string Root { get; }

    public string PodsDirectory { get; }

    public ProcessRuntime Runtime { get; }

    /// <summary>Bounds every runtime call of a test, so that a hang fails the test instead of the run.</summary>
    public CancellationToken Token => _timeout.Token;

    public ProcessRuntime NewRuntime() => new(PodsDirectory, TimeProvider.System, NullLogger<ProcessRuntime>.Instance);

    public string PodDirectory(string podName) => Path.Combine(PodsDirectory, podName);

    public static ContainerLaunch Launch(string podDirectory, params string[] command) => new()
    {
        PodUid = "uid-" + Path.GetFileName(podDirectory),
        PodNamespace = "default",
        PodName = Path.GetFileName(podDirectory),
        ContainerName = "main",
        Attempt = 0,
        Image = "",
        Command = command,
        PodDirectory = podDirectory,
    };

    public Task<string> StartAsync(params string[] command) => Runtime.StartAsync(Launch(PodDirectory("pod"), command), Token);

    /// <summary>Reads the whole log as it is now.</summary>
    public async Task<string> LogsAsync(string id, ContainerLogRequest? request = null, ProcessRuntime? runtime = null)
    {
        using var output = new MemoryStream();
        await (runtime ?? Runtime).WriteLogsAsync(id, request ?? new ContainerLogRequest(), output, Token);
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>Follows the log until <paramref name="text"/> appears in it (no polling: the follow stream reports it).</summary>
    public async Task WaitForLogAsync(string id, string text)
    {
        var sink = new TextWatchingStream(text);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var follow = Runtime.WriteLogsAsync(id, new ContainerLogRequest { Follow = true }, sink, stop.Token);
        await Task.WhenAny(sink.Seen, follow).WaitAsync(Patience, Token);
        await stop.CancelAsync();
        try
        {
            await follow;
        }
        catch (OperationCanceledException)
        {
        }

        Assert.True(sink.Seen.IsCompleted, $"\"{text}\" did not appear in the log; it holds: {sink.Text}");
    }

    /// <summary>The live processes whose working directory is <paramref name="directory"/>.</summary>
    public static List<int> ProcessesWorkingIn(string directory)
    {
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (new DirectoryInfo(Path.Combine(entry, "cwd")).LinkTarget == directory && HostProcesses.IsAlive(pid, null))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        foreach (var pidFile in Directory.EnumerateFiles(PodsDirectory, "pid", SearchOption.AllDirectories))
        {
            var parts = File.ReadAllText(pidFile).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var part in parts)
            {
                if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    // Both the container's group and the wrapper's session group.
                    HostProcesses.SignalGroup(pid, HostProcesses.SigKill);
                }
            }
        }

        _timeout.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
