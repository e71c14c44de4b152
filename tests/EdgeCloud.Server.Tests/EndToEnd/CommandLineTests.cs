using System.Diagnostics;

namespace EdgeCloud.Server.Tests.EndToEnd;

/// <summary>Bad settings on the `edgecloud server` command line: a clear message, exit code 2, nothing written.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--node-monitor-grace-period", "0", "--node-monitor-grace-period) must be a positive number of seconds")]
    [InlineData("--node-monitor-grace-period", "-3", "(got -3)")]
    [InlineData("--listen", "nowhere", "must be HOST:PORT")]
    public async Task Bad_settings_are_refused_before_anything_starts(string option, string value, string message)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "edgecloud-cli-" + Guid.NewGuid().ToString("N")[..12]);
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "edgecloud"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] listen = option == "--listen" ? [] : ["--listen", "127.0.0.1:0"];
        foreach (var argument in (string[])["server", "--data-dir", dataDir, .. listen, option, value])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(2, process.ExitCode);
        var error = await stderr;
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", error, StringComparison.Ordinal);
        Assert.Equal("", await stdout);
        Assert.False(Directory.Exists(dataDir), "nothing may be written for a refused command line");
    }
}
