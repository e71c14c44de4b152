using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace EdgeCloud.Server.Tests.NodeProxy;

/// <summary>
/// kubectl port-forward through the cloud and the tunnel to the agent's stream handler, with the real kubectl: 1.27
/// and 1.30 upgrade to SPDY/3.1, 1.33 tunnels SPDY inside a WebSocket. Pods share the node's network, so the pod's
/// port is a loopback listener of this test (<see cref="PodPort"/>), which answers what it read.
/// </summary>
public sealed class PortForwardKubectlTests(NodeProxyServer server) : IClassFixture<NodeProxyServer>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Versions => new("1.27", "1.30", "1.33");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Port_forward_carries_connections_both_ways_with_their_ends(string version)
    {
        await using var pod = await PodPort.StartAsync();
        var name = await RunningPodAsync();
        await using var forward = await EndToEnd.KubectlPortForward.StartAsync(server.Kubectl(version), name, pod.Port);

        // Two connections at once: each is its own pair of streams, and each one's end reaches the pod.
        var first = ExchangeAsync(forward.LocalPort, "first connection");
        var second = ExchangeAsync(forward.LocalPort, new string('x', 200_000));
        Assert.Equal("read 16 bytes: first connection", await first);
        Assert.Equal("read 200000 bytes: " + new string('x', 200_000), await second);

        // A later connection after those ended still works on the same kubectl.
        Assert.Equal("read 5 bytes: again", await ExchangeAsync(forward.LocalPort, "again"));
        Assert.Equal(3, pod.Connections);
    }

    [Theory]
    [InlineData("1.27")]
    [InlineData("1.33")]
    public async Task A_port_nobody_listens_on_closes_that_connection_and_kubectl_shows_why(string version)
    {
        var name = await RunningPodAsync();
        var closedPort = EndToEnd.LoopbackPorts.Unused();
        await using var forward = await EndToEnd.KubectlPortForward.StartAsync(server.Kubectl(version), name, closedPort);

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, forward.LocalPort, Token);
        var stream = client.GetStream();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(Timeout);
        // The local connection is closed without a byte.
        Assert.Equal(0, await stream.ReadAsync(new byte[16], timeout.Token));
        var stderr = await forward.WaitForStderrAsync($"failed to connect to localhost:{closedPort}");
        Assert.Contains($"error forwarding port {closedPort} to pod {name}", stderr);
    }

    [Theory]
    [InlineData("1.27")]
    [InlineData("1.33")]
    public async Task A_pod_that_resets_its_connection_ends_the_local_one(string version)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var name = await RunningPodAsync();
        await using var forward = await EndToEnd.KubectlPortForward.StartAsync(server.Kubectl(version), name, ((IPEndPoint)listener.LocalEndpoint).Port);

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, forward.LocalPort, Token);
        await client.GetStream().WriteAsync("hello"u8.ToArray(), Token);
        using (var pod = await listener.AcceptTcpClientAsync(Token))
        {
            await pod.GetStream().ReadExactlyAsync(new byte[5], Token);
            pod.Client.Close(0);
        }

        // Closed with a linger of 0: an RST, which the agent reads as a reset, not an end. kubectl closes the local connection (an end or a reset, but no hang).
        Assert.Equal(0, await ReadToEndOrResetAsync(client.GetStream()));
    }

    [Theory]
    [InlineData("1.27")]
    [InlineData("1.33")]
    public async Task A_local_connection_reset_ends_the_pods_connection(string version)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var name = await RunningPodAsync();
        await using var forward = await EndToEnd.KubectlPortForward.StartAsync(server.Kubectl(version), name, ((IPEndPoint)listener.LocalEndpoint).Port);

        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, forward.LocalPort, Token);
        await client.GetStream().WriteAsync("hello"u8.ToArray(), Token);
        using var pod = await listener.AcceptTcpClientAsync(Token);
        await pod.GetStream().ReadExactlyAsync(new byte[5], Token);
        client.Client.LingerState = new LingerOption(true, 0);
        client.Dispose();

        // The pod keeps its side open and says nothing; only the end passed on through kubectl, the cloud and the
        // agent closes its connection.
        Assert.Equal(0, await ReadToEndOrResetAsync(pod.GetStream()));
    }

    [Fact]
    public async Task Port_forward_needs_the_pod_and_an_upgrade()
    {
        using var client = server.Client();
        var missing = await client.PostAsync("api/v1/namespaces/default/pods/no-such-pod/portforward", null);
        // No upgrade asked for: a Status, before the pod is even read.
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("Upgrade request required", (await missing.Content.ReadFromJsonAsync<JsonObject>(Token))!["message"]!.GetValue<string>());

        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/namespaces/default/pods/no-such-pod/portforward");
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.ParseAdd("SPDY/3.1");
        request.Headers.Add("X-Stream-Protocol-Version", "portforward.k8s.io");
        var notFound = await client.SendAsync(request, Token);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);

        var offline = "pf-offline-" + Guid.NewGuid().ToString("N")[..6];
        await server.CreatePodAsync(offline, NodeProxyServer.OfflineNode, ["main"]);
        await SetRunningAsync(offline);
        var result = await server.Kubectl("1.33").RunAsync(["port-forward", "--address", "127.0.0.1", "pod/" + offline, ":80"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"node \"{NodeProxyServer.OfflineNode}\" is not connected", result.Stderr);
    }

    /// <summary>Writes <paramref name="text"/>, half-closes, and reads the pod's whole answer.</summary>
    private static async Task<string> ExchangeAsync(int port, string text)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), Token);
        client.Client.Shutdown(SocketShutdown.Send);
        using var answer = new MemoryStream();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(Timeout);
        await stream.CopyToAsync(answer, timeout.Token);
        return Encoding.UTF8.GetString(answer.ToArray());
    }

    /// <summary>Reads to the end (or a reset) within the timeout; returns the bytes read after the first end.</summary>
    private static async Task<int> ReadToEndOrResetAsync(NetworkStream stream)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(Timeout);
        try
        {
            return await stream.ReadAsync(new byte[16], timeout.Token);
        }
        catch (IOException reset) when (reset.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return 0;
        }
    }

    private async Task<string> RunningPodAsync()
    {
        var name = "pf-" + Guid.NewGuid().ToString("N")[..8];
        await server.CreatePodAsync(name, NodeProxyServer.NodeName, ["main"]);
        server.Runtime.Start("default", name, "main", "read forever");
        await SetRunningAsync(name);
        return name;
    }

    /// <summary>kubectl forwards only to a Running pod (it reads the phase first); the agent would report it.</summary>
    private async Task SetRunningAsync(string name)
    {
        using var client = server.Client();
        var patch = new StringContent("""{"status":{"phase":"Running"}}""", Encoding.UTF8, "application/merge-patch+json");
        var patched = await client.PatchAsync($"api/v1/namespaces/default/pods/{name}/status", patch, Token);
        Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync(Token));
    }

    /// <summary>The pod's server: reads each connection to its end, then answers "read N bytes: " and what it read.</summary>
    private sealed class PodPort : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task _accepting;
        private int _connections;

        private PodPort()
        {
            _listener.Start();
            _accepting = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref _connections);

        public static Task<PodPort> StartAsync() => Task.FromResult(new PodPort());

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _accepting;
        }

        private async Task AcceptAsync()
        {
            var serving = new List<Task>();
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync();
                    Interlocked.Increment(ref _connections);
                    serving.Add(ServeAsync(client));
                }
            }
            catch (Exception stopped) when (stopped is SocketException or ObjectDisposedException)
            {
            }

            await Task.WhenAll(serving);
        }

        private static async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                using var received = new MemoryStream();
                await stream.CopyToAsync(received);
                var answer = Encoding.UTF8.GetBytes($"read {received.Length} bytes: ");
                await stream.WriteAsync(answer);
                await stream.WriteAsync(received.ToArray());
            }
        }
    }
}
