using System.Diagnostics;

namespace EdgeCloud.Server.Tests.EndToEnd;

/// <summary>Runs the installed kubectl of one version (kubectl.1.NN beside the default binary) against a kubeconfig.</summary>
public sealed class Kubectl(string version, string kubeconfig)
{
    /// <summary>The versions the end-to-end tests cover: the oldest, a middle and the newest supported.</summary>
    public static TheoryData<string> Versions => new("1.27", "1.30", "1.33");

    /// <summary>The kubectl version, e.g. "1.30".</summary>
    public string Version => version;

    /// <summary>The binary of <paramref name="version"/>.</summary>
    public static string BinaryOf(string version)
    {
        var standard = ResolveOnPath("kubectl") ?? throw new InvalidOperationException("kubectl is not on PATH");
        var path = Path.Combine(Path.GetDirectoryName(standard)!, $"kubectl.{version}");
        return File.Exists(path) ? path : throw new InvalidOperationException($"kubectl {version} is not installed at {path}");
    }

    /// <summary>Runs kubectl with <paramref name="args"/>; stdin from <paramref name="input"/> when given.</summary>
    public async Task<KubectlResult> RunAsync(string[] args, string? input = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(BinaryOf(version))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["HOME"] = Path.GetDirectoryName(kubeconfig)!;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish within 60 s");
        }

        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts kubectl with <paramref name="args"/> and leaves it running (for get -w); the caller reads its output and kills it.</summary>
    public Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(BinaryOf(version)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["HOME"] = Path.GetDirectoryName(kubeconfig)!;
        return Process.Start(start)!;
    }

    /// <summary>Runs kubectl and requires success; returns stdout.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"kubectl.{version} {string.Join(' ', args)} failed ({result.ExitCode}): {result.Stderr}{result.Stdout}");
        return result.Stdout;
    }

    /// <summary>Runs kubectl with <paramref name="manifest"/> on stdin (-f -) and requires success.</summary>
    public async Task<string> OkWithInputAsync(string manifest, params string[] args)
    {
        var result = await RunAsync(args, manifest);
        Assert.True(result.ExitCode == 0, $"kubectl.{version} {string.Join(' ', args)} failed ({result.ExitCode}): {result.Stderr}{result.Stdout}");
        return result.Stdout;
    }

    private static string? ResolveOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return new FileInfo(candidate).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? candidate;
            }
        }

        return null;
    }
}
