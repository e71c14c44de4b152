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

    /// <summary>True when the probe passes.</summary>
    public async Task<bool> RunAsync(ProbePlan probe, ContainerPlan container, IContainerRuntime runtime, string containerId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(probe.Timeout);
        try
        {
            switch (probe.Kind)
            {
                case "exec":
                    return await runtime.ExecAsync(containerId, new ContainerExec { Command = probe.Command, Stdout = Stream.Null, Stderr = Stream.Null }, timeout.Token) == 0;
                case "httpGet":
                {
                    var scheme = probe.Scheme.Equals("HTTPS", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
                    var uri = new Uri($"{scheme}://{probe.Host ?? "127.0.0.1"}:{Port(probe, container)}{(probe.Path.StartsWith('/') ? probe.Path : "/" + probe.Path)}");
                    using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                    return (int)response.StatusCode is >= 200 and < 400;
                }

                case "tcpSocket":
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(probe.Host ?? "127.0.0.1", Port(probe, container), timeout.Token);
                    return true;
                }

                default:
                    return false;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or SocketException or IOException or ContainerConfigException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return false;
        }
    }

    public void Dispose() => _http.Dispose();

    private static int Port(ProbePlan probe, ContainerPlan container) =>
        int.TryParse(probe.Port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number
        : container.NamedPorts.TryGetValue(probe.Port, out var named) ? named
        : throw new ContainerConfigException($"probe port \"{probe.Port}\" is neither a number nor a named container port");
}
