using System.Diagnostics;
using System.Runtime.Versioning;

namespace EdgeCloud.LoadTests.Agents;

/// <summary>
/// A real edge-agent process (process runtime) joined to the benchmark's edgecloud with its agent-token, in its own
/// data directory under a temporary directory, with extra environment (GC settings) when asked. Its output is
/// drained and its last lines kept for error messages. Dispose kills it, then its pods' host processes (they outlive
/// the agent by design: every process whose working directory is under the data directory), then the directory.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class BenchAgent : IAsyncDisposable
{
    private const int KeptLines = 40;
    private readonly Queue<string> _lastLines = new();
    private readonly Process _process;

    private BenchAgent(Process process, string nodeName, string dataDirectory, string label)
    {
        _process = process;
        NodeName = nodeName;
        DataDirectory = dataDirectory;
        Label = label;
    }

    public string NodeName { get; }

    public string DataDirectory { get; }

    /// <summary>What sets this agent apart, e.g. "default" or "DOTNET_GCConserveMemory=9".</summary>
    public string Label { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>CPU time (user and system) the agent has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The last lines the agent printed.</summary>
    public string LastOutput
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join('\n', _lastLines);
            }
        }
    }

    /// <summary>Starts <paramref name="executable"/> (edge-agent) for node <paramref name="nodeName"/> with <paramref name="environment"/> added to its environment.</summary>
    public static BenchAgent Start(string executable, EdgeCloudProcess server, string nodeName, string label, IReadOnlyDictionary<string, string> environment)
    {
        var dataDirectory = Directory.CreateTempSubdirectory($"edge-agent-{nodeName}-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList =
            {
                "--server", server.Address.GetLeftPart(UriPartial.Authority),
                "--token-file", Path.Combine(server.DataDirectory, "agent-token"),
                "--node-name", nodeName,
                "--data-dir", dataDirectory,
                "--runtime", "process",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("edge-agent did not start");
        var agent = new BenchAgent(process, nodeName, dataDirectory, label);
        process.OutputDataReceived += (_, line) => agent.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => agent.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        KillPodProcesses();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A pod process that was still exiting held a file; the temporary directory is left behind.
        }
    }

    /// <summary>Kills every process whose working directory is under this agent's data directory: its pods' containers.</summary>
    public void KillPodProcesses()
    {
        var prefix = DataDirectory + Path.DirectorySeparatorChar;
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid))
            {
                continue;
            }

            try
            {
                var cwd = new DirectoryInfo(Path.Combine(entry, "cwd")).ResolveLinkTarget(returnFinalTarget: false)?.FullName;
                if (cwd is not null && (cwd == DataDirectory || cwd.StartsWith(prefix, StringComparison.Ordinal)))
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone meanwhile, or not ours to inspect.
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }
        }
    }
}
