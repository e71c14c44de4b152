using System.Diagnostics;
using System.Text.Json.Nodes;
using EdgeCloud.Agent;
using EdgeCloud.Agent.Cloud;
using EdgeCloud.Agent.Join;
using EdgeCloud.Server.Tests.EndToEnd;

namespace EdgeCloud.Server.Tests.Agents;

/// <summary>Real edge-agent processes joining a real edgecloud over the tunnel: node registration, the node password check, and what node credentials may reach.</summary>
public sealed class AgentJoinTests(EdgeCloudProcess server) : IClassFixture<EdgeCloudProcess>
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(15);

    // Where a Ready node is only the starting point of a test: the 15 s promise is the first test's to check, and on a
    // busy CI machine an agent once spent 8 s before it dialled (six test projects share two cores).
    private static readonly TimeSpan PreconditionWithin = TimeSpan.FromSeconds(60);

    private string Server => AgentProcess.ServerOf(server.ApiAddress);

    private string TokenFile => Path.Combine(server.DataDirectory, "agent-token");

    [Fact]
    public async Task An_agent_joins_with_the_token_file_and_its_node_is_Ready_within_15_s()
    {
        using var api = await AdminApi.OpenAsync(server.KubeconfigPath);
        await using var agent = new AgentProcess(Server, TokenFile, "join-ready", "--labels", "topology.kubernetes.io/zone=us-east-1-wl1-bos-wlz-1,site=plant-7");
        var clock = Stopwatch.StartNew();
        agent.Start();
        var node = await api.WaitForAsync("api/v1/nodes", n => n["metadata"]!["name"]!.GetValue<string>() == "join-ready" && AdminApi.IsReady(n), ReadyWithin, "node join-ready Ready");
        Assert.True(clock.Elapsed < ReadyWithin, $"Ready after {clock.Elapsed.TotalSeconds:0.0} s");

        var labels = node["metadata"]!["labels"]!;
        Assert.True(labels["topology.kubernetes.io/zone"] is not null, $"node without the zone label: {node.ToJsonString()}\nagent:\n{agent.Output}");
        Assert.Equal("us-east-1-wl1-bos-wlz-1", labels["topology.kubernetes.io/zone"]!.GetValue<string>());
        Assert.Equal("plant-7", labels["site"]!.GetValue<string>());
        Assert.Equal("join-ready", labels["kubernetes.io/hostname"]!.GetValue<string>());
        var status = node["status"]!;
        Assert.Equal(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), status["capacity"]!["cpu"]!.GetValue<string>());
        Assert.EndsWith("Ki", status["capacity"]!["memory"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("linux", status["nodeInfo"]!["operatingSystem"]!.GetValue<string>());

        // The heartbeat Lease exists and is renewed by the agent.
        var lease = await api.WaitForAsync("apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", static l => l["metadata"]!["name"]!.GetValue<string>() == "join-ready", ReadyWithin, "the Lease of join-ready");
        Assert.Equal("join-ready", lease["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal("Node", lease["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>());

        // The password is kept 0600 on the device; the cloud has only its hash.
        var passwordFile = Path.Combine(agent.DataDirectory, "node-password");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
        var secret = await api.GetAsync("api/v1/namespaces/kube-system/secrets/join-ready.node-password");
        var password = (await File.ReadAllTextAsync(passwordFile)).Trim();
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(password)), secret!.ToJsonString(), StringComparison.Ordinal);

        var kubectl = new Kubectl("1.33", server.KubeconfigPath);
        var nodes = await kubectl.OkAsync("get", "node", "join-ready");
        Assert.Matches(@"join-ready\s+Ready", nodes);
    }

    [Fact]
    public async Task A_second_agent_claiming_a_joined_node_name_with_another_password_is_refused()
    {
        using var api = await AdminApi.OpenAsync(server.KubeconfigPath);
        await using var first = new AgentProcess(Server, TokenFile, "join-twice");
        first.Start();
        try
        {
            await api.WaitForAsync("api/v1/nodes", n => n["metadata"]!["name"]!.GetValue<string>() == "join-twice" && AdminApi.IsReady(n), PreconditionWithin, "node join-twice Ready");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\nagent:\n" + first.Output);
        }

        var secretBefore = (await api.GetAsync("api/v1/namespaces/kube-system/secrets/join-twice.node-password"))!.ToJsonString();

        // Another device (another data directory, so another password) under the same name.
        await using var impostor = new AgentProcess(Server, TokenFile, "join-twice");
        impostor.Start();
        var refusal = await impostor.WaitForOutputAsync(static line => line.Contains("node password rejected", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Contains("403", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("is online", impostor.Output, StringComparison.Ordinal);

        // The recorded password is untouched, and the real node stays Ready.
        Assert.Equal(secretBefore, (await api.GetAsync("api/v1/namespaces/kube-system/secrets/join-twice.node-password"))!.ToJsonString());
        Assert.True(AdminApi.IsReady((await api.GetAsync("api/v1/nodes/join-twice"))!));
    }

    [Fact]
    public async Task A_bad_join_token_is_refused_at_the_handshake()
    {
        var badToken = Path.Combine(Path.GetTempPath(), "bad-token-" + Guid.NewGuid().ToString("N"));
        var real = (await File.ReadAllTextAsync(TokenFile)).Trim();
        await File.WriteAllTextAsync(badToken, real[..^4] + "0000");
        try
        {
            await using var agent = new AgentProcess(Server, badToken, "join-badtoken");
            agent.Start();
            var refusal = await agent.WaitForOutputAsync(static line => line.Contains("invalid join token", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            Assert.Contains("401", refusal, StringComparison.Ordinal);
            using var api = await AdminApi.OpenAsync(server.KubeconfigPath);
            Assert.Null(await api.GetAsync("api/v1/nodes/join-badtoken"));
        }
        finally
        {
            File.Delete(badToken);
        }
    }

    [Fact]
    public async Task Node_credentials_reach_only_the_node_own_objects()
    {
        var kubectl = new Kubectl("1.33", server.KubeconfigPath);
        var ns = "restrict-" + Guid.NewGuid().ToString("N")[..6];
        await kubectl.OkAsync("create", "namespace", ns);
        await kubectl.OkAsync("create", "secret", "generic", "mine", "-n", ns, "--from-literal=k=v");
        await kubectl.OkAsync("create", "secret", "generic", "theirs", "-n", ns, "--from-literal=k=v");
        await kubectl.OkAsync("create", "configmap", "unreferenced", "-n", ns, "--from-literal=k=v");
        // Two pods bound by name (spec.nodeName), one to this node and one to another.
        await kubectl.OkWithInputAsync(BoundPod("own-pod", ns, "restrict-a", "mine") + "\n---\n" + BoundPod("other-pod", ns, "restrict-b", "theirs"), "apply", "-f", "-");

        var dataDirectory = Path.Combine(Path.GetTempPath(), "restrict-agent-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDirectory);
        var options = new AgentOptions
        {
            Servers = [new Uri(Server)],
            Token = (await File.ReadAllTextAsync(TokenFile)).Trim(),
            NodeName = "restrict-a",
            DataDirectory = dataDirectory,
        };
        var token = JoinToken.Parse(options.Token, out _)!;
        var trust = await ServerTrust.LoadOrPinAsync(options.PinnedCaPath, token, options.Servers, TestContext.Current.CancellationToken);
        var password = await NodePassword.LoadOrCreateAsync(options.NodePasswordPath, TestContext.Current.CancellationToken);
        using var loggers = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        await using var connection = new CloudConnection(options, token, password, new JoinedCluster(options.JoinedClusterPath), trust, null, null, TimeProvider.System, loggers);
        connection.Start();
        try
        {
            var api = await ClusterApi.IdentifyAsync(connection.Http, TestContext.Current.CancellationToken);
            Assert.Equal("default", api.Cluster);
            var ct = TestContext.Current.CancellationToken;

            // Allowed: its own Node, its pods (by node selector), what they reference.
            Assert.NotNull(await api.CreateAsync("api/v1/nodes", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "restrict-a" } }, ct));
            Assert.NotNull(await api.GetAsync("api/v1/nodes/restrict-a", ct));
            var mine = await api.GetAsync($"api/v1/pods?fieldSelector={Uri.EscapeDataString("spec.nodeName=restrict-a")}", ct);
            Assert.Equal(["own-pod"], (mine!["items"] as JsonArray)!.Select(static p => p!["metadata"]!["name"]!.GetValue<string>()));
            Assert.NotNull(await api.GetAsync($"api/v1/namespaces/{ns}/pods/own-pod", ct));
            Assert.NotNull(await api.GetAsync($"api/v1/namespaces/{ns}/secrets/mine", ct));

            // Refused with 403: another node's pod, secret and Node; unfiltered lists; unreferenced objects; other kinds.
            await AssertForbiddenAsync(() => api.GetAsync($"api/v1/namespaces/{ns}/pods/other-pod", ct));
            await AssertForbiddenAsync(() => api.MergePatchAsync($"api/v1/namespaces/{ns}/pods/other-pod/status", new JsonObject { ["status"] = new JsonObject { ["phase"] = "Failed" } }, ct));
            await AssertForbiddenAsync(() => api.GetAsync($"api/v1/namespaces/{ns}/secrets/theirs", ct));
            await AssertForbiddenAsync(() => api.GetAsync($"api/v1/namespaces/{ns}/configmaps/unreferenced", ct));
            await AssertForbiddenAsync(() => api.GetAsync("api/v1/pods", ct));
            await AssertForbiddenAsync(() => api.GetAsync($"api/v1/pods?fieldSelector={Uri.EscapeDataString("spec.nodeName=restrict-b")}", ct));
            await AssertForbiddenAsync(() => api.GetAsync("api/v1/secrets", ct));
            await AssertForbiddenAsync(() => api.GetAsync("api/v1/nodes/restrict-b", ct));
            await AssertForbiddenAsync(() => api.CreateAsync("api/v1/nodes", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "restrict-c" } }, ct));
            await AssertForbiddenAsync(() => api.GetAsync("apis/apps/v1/deployments", ct));
            await AssertForbiddenAsync(() => api.CreateAsync($"api/v1/namespaces/{ns}/pods", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "sneaky" } }, ct));

            // Nothing was changed by the refused writes.
            var other = await kubectl.OkAsync("get", "pod", "other-pod", "-n", ns, "-o", "jsonpath={.status.phase}");
            Assert.NotEqual("Failed", other);
            Assert.Contains("NotFound", (await kubectl.RunAsync(["get", "node", "restrict-c"])).Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task AssertForbiddenAsync(Func<Task> call)
    {
        var refused = await Assert.ThrowsAsync<ClusterApiException>(call);
        Assert.Equal(403, refused.StatusCode);
        Assert.Contains("system:node:restrict-a", refused.Message, StringComparison.Ordinal);
    }

    private static string BoundPod(string name, string ns, string node, string secret) => $$$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: {{{name}}}, namespace: {{{ns}}}}
        spec:
          nodeName: {{{node}}}
          containers:
          - name: main
            image: busybox
            command: ["sleep", "3600"]
            env:
            - name: S
              valueFrom: {secretKeyRef: {name: {{{secret}}}, key: k}}
        """;
}
