using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using EdgeCloud.Server.Security;

namespace EdgeCloud.Server.Tests.NodeProxy;

/// <summary>The WebSocket channel protocol at the byte level, as kubectl 1.30+ speaks it, for what kubectl alone cannot show (tty resizes, the Status shape).</summary>
public sealed class ExecWebSocketProtocolTests(NodeProxyServer server) : IClassFixture<NodeProxyServer>
{
    [Fact]
    public async Task V5_delivers_stdin_its_close_and_resizes_and_ends_with_a_Success_status()
    {
        var pod = await PodAsync();
        using var socket = await ConnectAsync(pod, "command=cat&stdin=true&stdout=true&tty=true", "v5.channel.k8s.io");
        Assert.Equal("v5.channel.k8s.io", socket.SubProtocol);
        await SendAsync(socket, 4, """{"Width":100,"Height":30}""");
        await SendAsync(socket, 0, "hi\n");
        await socket.SendAsync((byte[])[255, 0], WebSocketMessageType.Binary, true, CancellationToken.None);

        var (stdout, status) = await ReadUntilCloseAsync(socket);
        Assert.Equal("hi\n", stdout);
        Assert.Equal("Success", status["status"]!.GetValue<string>());
        Assert.Contains((100, 30), server.Runtime.Resizes);
    }

    [Fact]
    public async Task A_nonzero_exit_is_a_NonZeroExitCode_status_with_the_code_as_ExitCode_cause()
    {
        var pod = await PodAsync();
        using var socket = await ConnectAsync(pod, "command=sh&command=-c&command=exit+42&stdout=true&stderr=true", "v5.channel.k8s.io");
        var (_, status) = await ReadUntilCloseAsync(socket);
        Assert.Equal(("Failure", "NonZeroExitCode"), (status["status"]!.GetValue<string>(), status["reason"]!.GetValue<string>()));
        var cause = status["details"]!["causes"]![0]!;
        Assert.Equal(("ExitCode", "42"), (cause["reason"]!.GetValue<string>(), cause["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_runtime_failure_is_a_Failure_status_with_its_message()
    {
        var pod = await PodAsync();
        using var socket = await ConnectAsync(pod, $"command={ShellRuntime.FailingCommand}&stdout=true", "v4.channel.k8s.io");
        Assert.Equal("v4.channel.k8s.io", socket.SubProtocol);
        var (_, status) = await ReadUntilCloseAsync(socket);
        Assert.Equal("Failure", status["status"]!.GetValue<string>());
        Assert.Equal("cannot exec in a stopped container", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Kubectl_shows_a_runtime_failure()
    {
        var pod = await PodAsync();
        var result = await server.Kubectl("1.33").RunAsync(["exec", pod, "--", ShellRuntime.FailingCommand]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("cannot exec in a stopped container", result.Stderr);
    }

    [Fact]
    public async Task A_log_follower_that_goes_away_stops_the_agents_log_stream()
    {
        var pod = await PodAsync();
        using var client = server.Client();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using (var follow = await client.GetAsync($"api/v1/namespaces/default/pods/{pod}/log?follow=true", HttpCompletionOption.ResponseHeadersRead, timeout.Token))
        {
            using var reader = new StreamReader(await follow.Content.ReadAsStreamAsync(timeout.Token));
            Assert.Equal("ready", await reader.ReadLineAsync(timeout.Token));
        }

        // The container still runs ("read forever"); only the cloud's reset can end the agent's follow.
        while (await server.Runtime.LogStreamsEnded.ReadAsync(timeout.Token) is var ended && ended != server.Runtime.IdOf(pod))
        {
        }
    }

    [Fact]
    public async Task An_exec_client_that_goes_away_stops_the_command_on_the_agent()
    {
        var pod = await PodAsync();
        var socket = await ConnectAsync(pod, "command=sh&command=-c&command=echo+started%3B+while+%3A%3B+do+sleep+1%3B+done&stdout=true", "v5.channel.k8s.io");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[1024];
        var first = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal("\u0001started\n", Encoding.UTF8.GetString(buffer, 0, first.Count));
        socket.Abort();
        socket.Dispose();

        // The loop never ends by itself; only the reset of the node stream stops it.
        while (await server.Runtime.ExecsEnded.ReadAsync(timeout.Token) is var ended && ended != server.Runtime.IdOf(pod))
        {
        }
    }

    [Fact]
    public async Task A_nodes_own_credentials_cannot_read_logs_exec_or_port_forward_even_of_its_own_pods()
    {
        var pod = await PodAsync();
        var ct = TestContext.Current.CancellationToken;
        var logs = await server.NodeHttp.GetAsync($"clusters/default/api/v1/namespaces/default/pods/{pod}/log", ct);
        var exec = await server.NodeHttp.PostAsync($"clusters/default/api/v1/namespaces/default/pods/{pod}/exec?command=true&stdout=true", null, ct);
        var portForward = await server.NodeHttp.PostAsync($"clusters/default/api/v1/namespaces/default/pods/{pod}/portforward", null, ct);
        foreach (var response in (HttpResponseMessage[])[logs, exec, portForward])
        {
            Assert.Equal(403, (int)response.StatusCode);
            Assert.Contains("system:node:" + NodeProxyServer.NodeName, await response.Content.ReadAsStringAsync(ct));
        }

        // The same requests with the admin's credentials pass the gate.
        using var client = server.Client();
        Assert.Equal("ready\n", await client.GetStringAsync($"api/v1/namespaces/default/pods/{pod}/log", ct));
    }

    [Fact]
    public async Task An_exec_request_without_an_upgrade_is_a_400()
    {
        var pod = await PodAsync();
        using var client = server.Client();
        var response = await client.PostAsync($"api/v1/namespaces/default/pods/{pod}/exec?command=true&stdout=true", null);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("Upgrade request required", await response.Content.ReadAsStringAsync());
    }

    private async Task<string> PodAsync()
    {
        var name = "ws-" + Guid.NewGuid().ToString("N")[..8];
        await server.CreatePodAsync(name, NodeProxyServer.NodeName, ["main"]);
        server.Runtime.Start("default", name, "main", "echo ready; read forever");
        return name;
    }

    private async Task<ClientWebSocket> ConnectAsync(string pod, string query, string protocol)
    {
        using var http = server.Client();
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(protocol);
        socket.Options.SetRequestHeader("Authorization", http.DefaultRequestHeaders.Authorization!.ToString());
        var uri = new Uri(new Uri(http.BaseAddress!.ToString().Replace("https://", "wss://", StringComparison.Ordinal)), $"api/v1/namespaces/default/pods/{pod}/exec?{query}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(uri, new HttpMessageInvoker(CaTrust.CreateHandler(X509Certificate2.CreateFromPem(server.CaPem))), timeout.Token);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, byte channel, string text) =>
        socket.SendAsync((byte[])[channel, .. Encoding.UTF8.GetBytes(text)], WebSocketMessageType.Binary, true, CancellationToken.None);

    private static async Task<(string Stdout, JsonNode Status)> ReadUntilCloseAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = new StringBuilder();
        JsonNode? status = null;
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
                return (stdout.ToString(), status ?? throw new Xunit.Sdk.XunitException("closed without a status"));
            }

            var bytes = message.ToArray();
            switch (bytes[0])
            {
                case 1:
                    stdout.Append(Encoding.UTF8.GetString(bytes, 1, bytes.Length - 1));
                    break;
                case 3:
                    status = JsonNode.Parse(bytes.AsSpan(1));
                    break;
            }
        }
    }
}
