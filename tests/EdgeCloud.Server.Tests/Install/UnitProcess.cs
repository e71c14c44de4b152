using System.Diagnostics;
using EdgeCloud.Server.Tests.Agents;

namespace EdgeCloud.Server.Tests.Install;

/// <summary>
/// The command of a systemd unit's ExecStart, started as systemd would start it (no shell), with its output kept
/// for failure messages. Dispose kills it and the pod processes under <see cref="DataDirectory"/>.
/// </summary>
public sealed class UnitProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private UnitProcess(Process process, string dataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

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

    /// <summary>
    /// The ExecStart= words of <paramref name="unitText"/>. The installer writes only values without spaces, quotes,
    /// '%' or '$', so systemd's word splitting is splitting on spaces.
    /// </summary>
    public static string[] ExecStartOf(string unitText)
    {
        var line = unitText.Split('\n').Single(static l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
        return line["ExecStart=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Starts <paramref name="command"/>; <paramref name="dataDirectory"/> is the agent's --data-dir.</summary>
    public static UnitProcess Start(IReadOnlyList<string> command, string dataDirectory)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var word in command.Skip(1))
        {
            start.ArgumentList.Add(word);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start");
        var started = new UnitProcess(process, dataDirectory);
        process.OutputDataReceived += (_, line) => started.Collect(line.Data);
        process.ErrorDataReceived += (_, line) => started.Collect(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        PodProcesses.KillUnder(DataDirectory);
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }
}
