using System.Diagnostics;
using System.Text.Json.Nodes;

namespace EdgeCloud.Server.Tests.NodeProxy;

/// <summary>kubectl logs and kubectl exec through the tunnel to the agent's stream handler, with the real kubectl.</summary>
public sealed class NodeProxyKubectlTests(NodeProxyServer server) : IClassFixture<NodeProxyServer>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string> ExecVersions => new("1.27", "1.30", "1.33");

    [Fact]
    public async Task Logs_show_the_containers_output()
    {
        // stdout and stderr lines interleave as the runtime reads them; each stream keeps its own order.
        var pod = await PodWithAsync("echo one; echo two >&2; echo three");
        await WaitForLogAsync(pod, "three");
        var lines = Lines(await server.Kubectl("1.33").OkAsync("logs", pod));
        Assert.Equal(["one", "three", "two"], lines.Order(StringComparer.Ordinal));
        Assert.True(Array.IndexOf(lines, "one") < Array.IndexOf(lines, "three"), string.Join(",", lines));
    }

    [Fact]
    public async Task Logs_tail_2_shows_the_last_two_lines()
    {
        var pod = await PodWithAsync("echo a; echo b; echo c; echo d");
        await WaitForLogAsync(pod, "d");
        var stdout = await server.Kubectl("1.33").OkAsync("logs", pod, "--tail=2");
        Assert.Equal(["c", "d"], Lines(stdout));
    }

    [Fact]
    public async Task Logs_follow_sees_a_line_written_later_and_ends_when_the_container_exits()
    {
        var name = "follow-" + Guid.NewGuid().ToString("N")[..6];
        await server.CreatePodAsync(name, NodeProxyServer.NodeName, ["main"]);
        var id = server.Runtime.Start("default", name, "main", "echo first; read line; echo \"later $line\"");
        await WaitForLogAsync(name, "first");

        using var kubectl = server.Kubectl("1.33").Start("logs", "-f", name);
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            Assert.Equal("first", await kubectl.StandardOutput.ReadLineAsync(timeout.Token));
            await server.Runtime.FeedAsync(id, "line\n");
            Assert.Equal("later line", await kubectl.StandardOutput.ReadLineAsync(timeout.Token));
            await kubectl.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, kubectl.ExitCode);
        }
        finally
        {
            if (!kubectl.HasExited)
            {
                kubectl.Kill();
            }
        }
    }

    [Fact]
    public async Task Logs_c_picks_the_container_and_an_unknown_one_is_a_400()
    {
        var name = "multi-" + Guid.NewGuid().ToString("N")[..6];
        await server.CreatePodAsync(name, NodeProxyServer.NodeName, ["a", "b"]);
        server.Runtime.Start("default", name, "a", "echo from-a");
        server.Runtime.Start("default", name, "b", "echo from-b");
        await WaitForLogAsync(name, "from-b", "b");
        var kubectl = server.Kubectl("1.33");

        Assert.Equal(["from-b"], Lines(await kubectl.OkAsync("logs", name, "-c", "b")));
        var unknown = await kubectl.RunAsync(["logs", name, "-c", "nope"]);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains($"container nope is not valid for pod {name}", unknown.Stderr);

        // The API itself (kubectl defaults the container on its own) asks for one, as kube-apiserver does.
        using var client = server.Client();
        var response = await client.GetAsync($"api/v1/namespaces/default/pods/{name}/log");
        Assert.Equal(400, (int)response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal($"a container name must be specified for pod {name}, choose one of: [a b]", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Logs_use_the_default_container_annotation()
    {
        var name = "annotated-" + Guid.NewGuid().ToString("N")[..6];
        await server.CreatePodAsync(name, NodeProxyServer.NodeName, ["a", "b"], defaultContainer: "b");
        server.Runtime.Start("default", name, "a", "echo from-a");
        server.Runtime.Start("default", name, "b", "echo from-b");
        await WaitForLogAsync(name, "from-b", "b");
        using var client = server.Client();
        Assert.Equal("from-b\n", await client.GetStringAsync($"api/v1/namespaces/default/pods/{name}/log"));
    }

    [Fact]
    public async Task Logs_of_a_container_the_agent_does_not_run_show_the_agents_reason()
    {
        var name = "waiting-" + Guid.NewGuid().ToString("N")[..6];
        await server.CreatePodAsync(name, NodeProxyServer.NodeName, ["main"]);
        var result = await server.Kubectl("1.33").RunAsync(["logs", name]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"container \"main\" in pod \"{name}\" is waiting to start: ContainerCreating", result.Stderr);
    }

    [Fact]
    public async Task Logs_of_a_missing_pod_are_a_404()
    {
        var result = await server.Kubectl("1.33").RunAsync(["logs", "no-such-pod"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("pods \"no-such-pod\" not found", result.Stderr);
    }

    [Theory]
    [MemberData(nameof(ExecVersions))]
    public async Task Exec_relays_stdout_and_stderr_and_kubectl_exits_with_the_commands_code(string version)
    {
        var pod = await PodWithAsync("read forever");
        var result = await server.Kubectl(version).RunAsync(["exec", pod, "--", "sh", "-c", "echo out; echo err >&2; exit 3"]);
        Assert.Equal("out\n", result.Stdout);
        Assert.Contains("err\n", result.Stderr);
        Assert.Equal(3, result.ExitCode);
    }

    [Theory]
    [MemberData(nameof(ExecVersions))]
    public async Task Exec_with_exit_code_0_succeeds(string version)
    {
        var pod = await PodWithAsync("read forever");
        var result = await server.Kubectl(version).RunAsync(["exec", pod, "--", "sh", "-c", "printf 'a\\nb\\n'"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a\nb\n", result.Stdout);
    }

    [Theory]
    [MemberData(nameof(ExecVersions))]
    public async Task Exec_i_passes_stdin_and_its_end(string version)
    {
        var pod = await PodWithAsync("read forever");
        var result = await server.Kubectl(version).RunAsync(["exec", "-i", pod, "--", "cat"], input: "hi\n");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("hi\n", result.Stdout);
    }

    [Theory]
    [MemberData(nameof(ExecVersions))]
    public async Task Exec_of_a_large_output_arrives_whole(string version)
    {
        var pod = await PodWithAsync("read forever");
        var result = await server.Kubectl(version).RunAsync(["exec", pod, "--", "sh", "-c", "head -c 300000 /dev/zero | tr '\\0' x"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(300000, result.Stdout.Length);
        Assert.All(result.Stdout, c => Assert.Equal('x', c));
    }

    [Theory]
    [InlineData("1.27")]
    [InlineData("1.33")]
    public async Task Exec_into_a_pod_whose_node_has_no_session_fails_clearly(string version)
    {
        var name = "offline-" + Guid.NewGuid().ToString("N")[..6];
        await server.CreatePodAsync(name, NodeProxyServer.OfflineNode, ["main"]);
        var clock = Stopwatch.StartNew();
        var exec = await server.Kubectl(version).RunAsync(["exec", name, "--", "true"]);
        var logs = await server.Kubectl(version).RunAsync(["logs", name]);
        Assert.True(clock.Elapsed < Timeout, $"took {clock.Elapsed}");
        foreach (var result in (EndToEnd.KubectlResult[])[exec, logs])
        {
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains($"node \"{NodeProxyServer.OfflineNode}\" is not connected", result.Stderr);
        }
    }

    [Fact]
    public async Task Exec_into_a_container_the_agent_does_not_run_shows_the_agents_reason()
    {
        var name = "noexec-" + Guid.NewGuid().ToString("N")[..6];
        await server.CreatePodAsync(name, NodeProxyServer.NodeName, ["main"]);
        var result = await server.Kubectl("1.33").RunAsync(["exec", name, "--", "true"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"container \"main\" in pod \"{name}\" is waiting to start: ContainerCreating", result.Stderr);
    }

    private async Task<string> PodWithAsync(string script)
    {
        var name = "p-" + Guid.NewGuid().ToString("N")[..8];
        await server.CreatePodAsync(name, NodeProxyServer.NodeName, ["main"]);
        server.Runtime.Start("default", name, "main", script);
        return name;
    }

    /// <summary>Waits (by re-reading the log through the API, bounded) until the container has written <paramref name="line"/>.</summary>
    private async Task WaitForLogAsync(string pod, string line, string container = "main")
    {
        using var client = server.Client();
        using var timeout = new CancellationTokenSource(Timeout);
        using var follow = await client.GetAsync($"api/v1/namespaces/default/pods/{pod}/log?container={container}&follow=true", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        follow.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await follow.Content.ReadAsStreamAsync(timeout.Token));
        while (await reader.ReadLineAsync(timeout.Token) is { } read)
        {
            if (read == line)
            {
                return;
            }
        }

        Assert.Fail($"the log of {pod}/{container} ended without \"{line}\"");
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
