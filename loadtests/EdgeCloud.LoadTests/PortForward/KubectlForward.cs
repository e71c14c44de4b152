using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeCloud.LoadTests.PortForward;

/// <summary>
/// A running <c>kubectl port-forward</c> of one version (the binaries kubectl.1.NN beside the one on PATH) from random
/// local ports on 127.0.0.1 to the pod's ports; disposing stops it.
/// </summary>
internal sealed partial class KubectlForward : IAsyncDisposable
{
    private readonly Process _process;

    private KubectlForward(Process process, IReadOnlyDictionary<int, int> localPorts)
    {
        _process = process;
        LocalPorts = localPorts;
    }

    /// <summary>The local port of each remote port.</summary>
    public IReadOnlyDictionary<int, int> LocalPorts { get; }

    /// <summary>kubectl's process id (its CPU is its own, apart from the server's and the agent's).</summary>
    public Process Process => _process;

    /// <summary>The kubectl binary of <paramref name="version"/> ("1.27"), or the one on PATH when that is absent.</summary>
    public static string BinaryOf(string version)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "kubectl")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("kubectl is not on PATH");
        var resolved = new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath;
        var versioned = Path.Combine(Path.GetDirectoryName(resolved)!, "kubectl." + version);
        return File.Exists(versioned) ? versioned : throw new InvalidOperationException($"kubectl {version} is not installed ({versioned})");
    }

    public static async Task<KubectlForward> StartAsync(string version, string kubeconfig, string pod, IReadOnlyList<int> remotePorts, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(BinaryOf(version)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["port-forward", "--address", "127.0.0.1", "pod/" + pod, .. remotePorts.Select(static p => ":" + p.ToString(CultureInfo.InvariantCulture))])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["KUBECONFIG"] = kubeconfig;
        var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var local = new Dictionary<int, int>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            // "Forwarding from 127.0.0.1:LOCAL -> REMOTE", one line per port.
            while (local.Count < remotePorts.Count && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (ForwardingLine().Match(line) is { Success: true } match)
                {
                    local[int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)] = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                }
            }

            if (local.Count < remotePorts.Count)
            {
                throw new InvalidOperationException($"kubectl {version} port-forward ended before forwarding: {await stderr}");
            }
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }

        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        return new KubectlForward(process, local);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"^Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)")]
    private static partial Regex ForwardingLine();
}
