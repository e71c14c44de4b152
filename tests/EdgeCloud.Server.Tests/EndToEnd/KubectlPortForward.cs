using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace EdgeCloud.Server.Tests.EndToEnd;

/// <summary>A running <c>kubectl port-forward</c> from a random local port on 127.0.0.1; disposing stops it.</summary>
internal sealed partial class KubectlPortForward : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private readonly Process _process;
    private readonly Channel<string> _stderrLines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stderr = new();
    private readonly Task _readingStderr;

    private KubectlPortForward(Process process, int localPort)
    {
        _process = process;
        LocalPort = localPort;
        _readingStderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                _stderrLines.Writer.TryWrite(line);
            }

            _stderrLines.Writer.TryComplete();
        });
    }

    public int LocalPort { get; }

    public static async Task<KubectlPortForward> StartAsync(Kubectl kubectl, string pod, int remotePort, params string[] more)
    {
        var process = kubectl.Start(["port-forward", "--address", "127.0.0.1", "pod/" + pod, ":" + remotePort, .. more]);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(Timeout);
        try
        {
            // kubectl announces its listener: "Forwarding from 127.0.0.1:PORT -> REMOTE".
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (ForwardingLine().Match(line) is { Success: true } match)
                {
                    var forward = new KubectlPortForward(process, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
                    _ = process.StandardOutput.ReadToEndAsync(Token);
                    return forward;
                }
            }

            throw new InvalidOperationException("kubectl port-forward ended before forwarding: " + await process.StandardError.ReadToEndAsync(timeout.Token));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>kubectl's stderr up to the first line that contains <paramref name="text"/>.</summary>
    public async Task<string> WaitForStderrAsync(string text)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(Timeout);
        try
        {
            await foreach (var line in _stderrLines.Reader.ReadAllAsync(timeout.Token))
            {
                _stderr.AppendLine(line);
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return _stderr.ToString();
                }
            }
        }
        catch (OperationCanceledException) when (!Token.IsCancellationRequested)
        {
        }

        Assert.Fail($"kubectl's stderr never said \"{text}\": {_stderr}");
        return "";
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(Token);
        await _readingStderr;
        _process.Dispose();
    }

    [GeneratedRegex(@"^Forwarding from 127\.0\.0\.1:(\d+) -> \d+")]
    private static partial Regex ForwardingLine();
}
