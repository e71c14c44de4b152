using System.Globalization;
using System.Net.Sockets;
using EdgeCloud.Agent.Runtime;

namespace EdgeCloud.Agent.Pods;

/// <summary>
/// Runs probes as kubelet does: exec in the container (exit 0 passes), httpGet (status 200–399 passes), tcpSocket
/// (a connection passes), each within timeoutSeconds. Containers share the node's network (the process runtime
/// runs host processes; the docker runtime uses host networking), so probes connect to the node's loopback unless
/// the probe names a host.
/// </summary>
internal sealed class ProbeRunner : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        // Probes of https endpoints do not verify certificates, as kubelet's.
        SslOptions = new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
        AllowAutoRedirect = false,
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Output kept from an exec probe, as the kubelet's 10 KiB.</summary>
    private const int MaxExecOutput = 10 * 1024;

    /// <summary>Runs <paramref name="probe"/> once against the container.</summary>
    public async Task<ProbeResult> RunAsync(ProbePlan probe, ContainerPlan container, IContainerRuntime runtime, string containerId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(probe.Timeout);
        var target = probe.Kind;
        try
        {
            switch (probe.Kind)
            {
                case "exec":
                {
                    target = $"command \"{string.Join(' ', probe.Command)}\"";
                    using var output = new MemoryStream();
                    using var kept = new TruncatingStream(output, MaxExecOutput);
                    var code = await runtime.ExecAsync(containerId, new ContainerExec { Command = probe.Command, Stdout = kept, Stderr = kept }, timeout.Token);
                    var text = System.Text.Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length).TrimEnd();
                    return code == 0 ? ProbeResult.Passed : ProbeResult.Failed(text.Length > 0 ? text : $"{target} exited with code {code}");
                }

                case "httpGet":
                {
                    var scheme = probe.Scheme.Equals("HTTPS", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
                    var uri = new Uri($"{scheme}://{probe.Host ?? "127.0.0.1"}:{Port(probe, container)}{(probe.Path.StartsWith('/') ? probe.Path : "/" + probe.Path)}");
                    target = $"Get \"{uri}\"";
                    using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                    var status = (int)response.StatusCode;
                    return status is >= 200 and < 400 ? ProbeResult.Passed : ProbeResult.Failed($"HTTP probe failed with statuscode: {status}");
                }

                case "tcpSocket":
                {
                    var host = probe.Host ?? "127.0.0.1";
                    var port = Port(probe, container);
                    target = $"dial tcp {host}:{port}";
                    using var client = new TcpClient();
                    await client.ConnectAsync(host, port, timeout.Token);
                    return ProbeResult.Passed;
                }

                default:
                    return ProbeResult.Failed($"the {probe.Kind} probe is not supported");
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or SocketException or IOException or ContainerConfigException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return ProbeResult.Failed(e switch
            {
                OperationCanceledException => $"{target} timed out after {probe.Timeout.TotalSeconds:0.###}s",
                ContainerConfigException => e.Message,
                _ => $"{target}: {e.Message}",
            });
        }
    }

    public void Dispose() => _http.Dispose();

    private static int Port(ProbePlan probe, ContainerPlan container) =>
        int.TryParse(probe.Port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number
        : container.NamedPorts.TryGetValue(probe.Port, out var named) ? named
        : throw new ContainerConfigException($"probe port \"{probe.Port}\" is neither a number nor a named container port");
}
