using System.Diagnostics;

namespace EdgeCloud.Server.Tests.Install;

/// <summary>What a /bin/sh command line did.</summary>
public sealed record ShellResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>
/// Runs a command line through /bin/sh (dash on Debian, as on most devices) with extra environment variables, so that
/// values reach it as "$VAR" instead of being pasted into the command.
/// </summary>
public static class ShellRun
{
    public static async Task<ShellResult> RunAsync(string commandLine, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", commandLine },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"`{commandLine}` did not finish within {timeout.TotalSeconds:0} s; stderr:\n{await stderr}");
        }

        return new ShellResult(process.ExitCode, await stdout, await stderr);
    }
}
