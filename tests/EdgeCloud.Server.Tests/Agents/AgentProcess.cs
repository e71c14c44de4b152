using System.Diagnostics;

namespace EdgeCloud.Server.Tests.Agents;

/// <summary>
/// A real <c>edge-agent</c> process joined to a running edgecloud: started with the server's agent-token, its own
/// data directory (kept across <see cref="KillAsync"/> and <see cref="Start"/>, as a device's disk is), and
/// its output collected so a test can wait for a line. Dispose kills it and removes the directory.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly List<string> _output = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];
    private readonly string _server;
    private readonly string _tokenFile;
    private readonly string[] _extra;
    private Process? _process;

    public AgentProcess(string server, string tokenFile, string nodeName, params string[] extra)
    {
        _server = server;
        _tokenFile = tokenFile;
        NodeName = nodeName;
        _extra = extra;
    }

    public string NodeName { get; }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "edge-agent-test-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Everything the agent printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public bool HasExited => _process is { HasExited: true };

    /// <summary>The server's base URL from the API address edgecloud printed (https://127.0.0.1:PORT/clusters/default).</summary>
    public static string ServerOf(string apiAddress) => new Uri(apiAddress).GetLeftPart(UriPartial.Authority);

    public void Start()
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "edge-agent"))
        {
            ArgumentList = { "--server", _server, "--token-file", _tokenFile, "--node-name", NodeName, "--data-dir", DataDirectory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in _extra)
        {
            start.ArgumentList.Add(argument);
        }

        _process?.Dispose();
        _process = Process.Start(start) ?? throw new InvalidOperationException("edge-agent did not start");
        _process.OutputDataReceived += (_, line) => Collect(line.Data);
        _process.ErrorDataReceived += (_, line) => Collect(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Output lines printed so far (to wait only for lines after them: <see cref="WaitForOutputAsync"/>'s <c>from</c>).</summary>
    public int LineCount
    {
        get
        {
            lock (_output)
            {
                return _output.Count;
            }
        }
    }

    /// <summary>Completes with the first output line (past, from line <paramref name="from"/> on, or future) that <paramref name="match"/> accepts.</summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout, int from = 0)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.Skip(from).FirstOrDefault(match) is { } already)
            {
                return already;
            }

            _waiters.Add((match, seen));
        }

        try
        {
            return await seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"edge-agent {NodeName} printed no matching line within {timeout.TotalSeconds:0} s; it printed:\n{Output}");
        }
    }

    /// <summary>Kills the agent (SIGKILL: no clean shutdown, as a crash or power loss) and waits for it to exit.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        KillPodProcesses();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    /// <summary>
    /// The process runtime's containers outlive the agent by design (their own sessions); a test stops them too:
    /// every process whose working directory is under this agent's data directory is killed.
    /// </summary>
    public void KillPodProcesses() => PodProcesses.KillUnder(DataDirectory);

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        List<TaskCompletionSource<string>> matched;
        lock (_output)
        {
            _output.Add(line);
            matched = [.. _waiters.Where(w => w.Match(line)).Select(static w => w.Seen)];
            _waiters.RemoveAll(w => matched.Contains(w.Seen));
        }

        foreach (var seen in matched)
        {
            seen.TrySetResult(line);
        }
    }
}
