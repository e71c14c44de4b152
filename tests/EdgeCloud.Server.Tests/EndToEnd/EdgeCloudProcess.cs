using System.Diagnostics;

namespace EdgeCloud.Server.Tests.EndToEnd;

/// <summary>
/// The real <c>edgecloud server</c> executable, started on 127.0.0.1 with a free port and a temporary data
/// directory, stopped (and its directory removed) on dispose.
/// </summary>
public class EdgeCloudProcess : IAsyncLifetime
{
    private readonly string[] _extraArguments;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();
    private Process? _process;

    /// <summary>The server with its defaults.</summary>
    public EdgeCloudProcess()
        : this([])
    {
    }

    /// <summary>The server with <paramref name="extraArguments"/> after the usual ones.</summary>
    protected EdgeCloudProcess(string[] extraArguments) => _extraArguments = extraArguments;

    /// <summary>The temporary data directory.</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "edgecloud-e2e-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The admin kubeconfig the server wrote.</summary>
    public string KubeconfigPath => Path.Combine(DataDirectory, "kubeconfig.yaml");

    /// <summary>The default cluster's API URL the server printed.</summary>
    public string ApiAddress { get; private set; } = "";

    /// <summary>Everything the server printed so far (stdout and stderr).</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>Time from process start to the "serving" line (ready for kubectl).</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The --listen address: a free port chosen by the server unless a subclass needs one that survives restarts.</summary>
    protected virtual string Listen => "127.0.0.1:0";

    /// <summary>Kills the server (as an outage would) and keeps its data directory for <see cref="InitializeAsync"/> to start it again.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public virtual async ValueTask InitializeAsync()
    {
        var executable = Path.Combine(AppContext.BaseDirectory, "edgecloud");
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "server", "--data-dir", DataDirectory, "--listen", Listen },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in _extraArguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        _process = Process.Start(start) ?? throw new InvalidOperationException("edgecloud did not start");
        var errors = CollectAsync(_process.StandardError);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            // What the server says before it serves (start-up warnings) belongs to Log too.
            _log.Enqueue(line);
            const string marker = "edgecloud: serving ";
            if (line.StartsWith(marker, StringComparison.Ordinal))
            {
                StartupTime = clock.Elapsed;
                ApiAddress = line[marker.Length..].Split(' ')[0];
                _ = CollectAsync(_process.StandardOutput);
                return;
            }
        }

        await errors;
        throw new InvalidOperationException($"edgecloud exited before serving: {Log}");
    }

    private async Task CollectAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            _log.Enqueue(line);
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
