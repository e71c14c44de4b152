using System.Text.Json.Nodes;
using EdgeCloud.Agent.Runtime;
using EdgeCloud.Agent.Runtime.Docker;
using EdgeCloud.Server.Tests.EndToEnd;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Server.Tests.Agents;

/// <summary>A real edge-agent with the docker runtime against the Podman service scripts/test.sh starts: a Deployment's pods run as containers.</summary>
public sealed class AgentPodmanTests(EdgeCloudProcess server) : IClassFixture<EdgeCloudProcess>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_Deployment_runs_as_Podman_containers_and_deleting_it_removes_them()
    {
        var socket = PodmanEngine.SocketPath();
        var image = PodmanEngine.Image();
        await using var agent = new AgentProcess(AgentProcess.ServerOf(server.ApiAddress), Path.Combine(server.DataDirectory, "agent-token"), "podman-1", "--runtime", "docker", "--docker-socket", socket);
        agent.Start();
        using var api = await AdminApi.OpenAsync(server.KubeconfigPath);
        var node = await api.WaitForAsync("api/v1/nodes", static n => n["metadata"]!["name"]!.GetValue<string>() == "podman-1" && AdminApi.IsReady(n), Within, "node podman-1 Ready");
        Assert.Equal("docker", node["metadata"]!["labels"]!["edgecloud.io/runtime"]!.GetValue<string>());

        var kubectl = new Kubectl("1.33", server.KubeconfigPath);
        var ns = "podman-" + Guid.NewGuid().ToString("N")[..6];
        await kubectl.OkAsync("create", "namespace", ns);
        await kubectl.OkAsync("create", "configmap", "cfg", "-n", ns, "--from-literal=greeting=hello", "--from-literal=file.txt=from-a-volume");
        var manifest = AgentPodsTests.Deployment("boxes", ns, "podman-1", 2, "echo $GREETING from $POD_NAME; cat /etc/cfg/file.txt; echo; exec sleep 3600")
            .Replace("image: busybox", $"image: {image}\n        imagePullPolicy: Never\n        resources: {{limits: {{memory: 64Mi, cpu: 500m}}}}", StringComparison.Ordinal);
        await kubectl.OkWithInputAsync(manifest, "apply", "-f", "-");
        await kubectl.OkAsync("rollout", "status", "deploy/boxes", "-n", ns, "--timeout=90s");

        await using var runtime = new DockerRuntime(new DockerRuntimeOptions { SocketPath = socket }, NullLogger<DockerRuntime>.Instance, TimeProvider.System);
        var pods = AgentPodsTests.Items(await kubectl.OkAsync("get", "pods", "-n", ns, "-l", "app=boxes", "-o", "json"));
        Assert.Equal(2, pods.Count);
        foreach (var pod in pods)
        {
            var uid = pod["metadata"]!["uid"]!.GetValue<string>();
            var status = pod["status"]!["containerStatuses"]![0]!;
            Assert.StartsWith("docker://", status["containerID"]!.GetValue<string>(), StringComparison.Ordinal);
            var container = Assert.Single(await runtime.ListAsync(TestContext.Current.CancellationToken), c => c.PodUid == uid);
            Assert.True(container.Running);
            using var log = new MemoryStream();
            await runtime.WriteLogsAsync(container.Id, new ContainerLogRequest(), log, TestContext.Current.CancellationToken);
            var text = System.Text.Encoding.UTF8.GetString(log.ToArray());
            Assert.Contains($"hello from {pod["metadata"]!["name"]!.GetValue<string>()}", text, StringComparison.Ordinal);
            Assert.Contains("from-a-volume", text, StringComparison.Ordinal);

            // The image was there already (pull policy Never): the agent says so, as the kubelet does.
            var name = pod["metadata"]!["name"]!.GetValue<string>();
            var pulled = await api.WaitForAsync(
                $"api/v1/namespaces/{ns}/events?fieldSelector=reason%3DPulled,involvedObject.name%3D{name}", static _ => true, Within, $"a Pulled event of {name}");
            Assert.Equal($"Container image \"{image}\" already present on machine", pulled["message"]!.GetValue<string>());
        }

        // kubectl logs and exec through the tunnel into the container, with SPDY (1.27) and WebSocket (1.33) exec.
        var first = pods[0]["metadata"]!["name"]!.GetValue<string>();
        Assert.Contains($"hello from {first}", await kubectl.OkAsync("logs", first, "-n", ns), StringComparison.Ordinal);
        foreach (var version in new[] { "1.27", "1.33" })
        {
            var exec = await new Kubectl(version, server.KubeconfigPath).RunAsync(["exec", first, "-n", ns, "--", "sh", "-c", "echo in $(hostname) $GREETING; exit 4"]);
            Assert.True(exec.ExitCode == 4, $"kubectl {version} exec: {exec.ExitCode} {exec.Stderr}");
            Assert.StartsWith("in ", exec.Stdout, StringComparison.Ordinal);
            Assert.EndsWith("hello", exec.Stdout.Trim(), StringComparison.Ordinal);
        }

        // The memory limit reaches the container's cgroup (v2 where the engine uses it, v1 otherwise).
        var limit = await kubectl.OkAsync("exec", first, "-n", ns, "--", "sh", "-c", "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes");
        Assert.Equal("67108864", limit.Trim());

        // kubectl port-forward into a container: pods share the node's network, so the agent connects to the port on
        // loopback. SPDY with 1.27, SPDY inside a WebSocket with 1.33; busybox httpd serves the ConfigMap volume, and is
        // Ready once it answers.
        var port = LoopbackPorts.Unused();
        var web = AgentPodsTests.Deployment("web", ns, "podman-1", 1, $"exec httpd -f -p 127.0.0.1:{port} -h /etc/cfg")
            .Replace("image: busybox", $"image: {image}\n        imagePullPolicy: Never", StringComparison.Ordinal)
            .Replace("""exec: {command: ["true"]}""", $$"""exec: {command: ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:{{port}}/file.txt"]}""", StringComparison.Ordinal);
        await kubectl.OkWithInputAsync(web, "apply", "-f", "-");
        await kubectl.OkAsync("rollout", "status", "deploy/web", "-n", ns, "--timeout=90s");
        var webPod = Assert.Single(AgentPodsTests.Items(await kubectl.OkAsync("get", "pods", "-n", ns, "-l", "app=web", "-o", "json")))["metadata"]!["name"]!.GetValue<string>();
        foreach (var version in new[] { "1.27", "1.33" })
        {
            await using var forward = await KubectlPortForward.StartAsync(new Kubectl(version, server.KubeconfigPath), webPod, port, "-n", ns);
            using var http = new HttpClient();
            Assert.Equal("from-a-volume", await http.GetStringAsync($"http://127.0.0.1:{forward.LocalPort}/file.txt", TestContext.Current.CancellationToken));
        }

        await kubectl.OkAsync("delete", "deploy", "web", "-n", ns, "--wait=true");
        await kubectl.OkAsync("delete", "deploy", "boxes", "-n", ns, "--wait=true");
        await kubectl.OkAsync("wait", "--for=delete", "pod", "-l", "app=boxes", "-n", ns, "--timeout=90s");
        // The API deletion is confirmed once the containers have stopped (as kubelet's); their removal may trail it
        // by a moment, so the engine is asked until they are gone (Podman has no event the test could wait on here).
        await kubectl.OkAsync("wait", "--for=delete", "pod", "-l", "app=web", "-n", ns, "--timeout=90s");
        var uids = pods.Select(static p => p["metadata"]!["uid"]!.GetValue<string>()).ToHashSet();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        List<ContainerState> left;
        while ((left = [.. (await runtime.ListAsync(TestContext.Current.CancellationToken)).Where(c => uids.Contains(c.PodUid))]).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.True(left.Count == 0, $"containers left: {string.Join(", ", left)}\nagent:\n{agent.Output}");
    }

    [Fact]
    public async Task Images_that_cannot_be_had_wait_in_the_kubelets_reasons_and_say_why_in_events()
    {
        await using var agent = new AgentProcess(AgentProcess.ServerOf(server.ApiAddress), Path.Combine(server.DataDirectory, "agent-token"), "podman-2", "--runtime", "docker", "--docker-socket", PodmanEngine.SocketPath());
        agent.Start();
        using var api = await AdminApi.OpenAsync(server.KubeconfigPath);
        await api.WaitForAsync("api/v1/nodes", static n => n["metadata"]!["name"]!.GetValue<string>() == "podman-2" && AdminApi.IsReady(n), Within, "node podman-2 Ready");
        var kubectl = new Kubectl("1.33", server.KubeconfigPath);
        var ns = "images-" + Guid.NewGuid().ToString("N")[..6];
        await kubectl.OkAsync("create", "namespace", ns);
        // Port 1 on loopback refuses at once: a pull that fails without waiting on a network.
        const string unpullable = "127.0.0.1:1/edgecloud/missing:test";
        await kubectl.OkWithInputAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: unpullable, namespace: {{ns}}}
            spec:
              nodeSelector: {kubernetes.io/hostname: podman-2}
              containers:
              - {name: c, image: "{{unpullable}}", command: ["true"]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: never, namespace: {{ns}}}
            spec:
              nodeSelector: {kubernetes.io/hostname: podman-2}
              containers:
              - {name: c, image: "localhost/edgecloud-no-such-image:never", imagePullPolicy: Never, command: ["true"]}
            """, "apply", "-f", "-");

        // Between attempts the pod waits in ImagePullBackOff (after an immediate second try), and says why in events.
        var pods = $"api/v1/namespaces/{ns}/pods";
        await api.WaitForAsync(pods, static p => p["metadata"]!["name"]!.GetValue<string>() == "unpullable" && Waiting(p) == "ImagePullBackOff", Within, "unpullable in ImagePullBackOff");
        var events = $"api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.name%3Dunpullable";
        var failed = await api.WaitForAsync(events, static e => e["reason"]!.GetValue<string>() == "Failed", Within, "a Failed event");
        Assert.StartsWith($"Failed to pull image \"{unpullable}\": ", failed["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Warning", failed["type"]!.GetValue<string>());
        var backOff = await api.WaitForAsync(events, static e => e["reason"]!.GetValue<string>() == "BackOff", Within, "a BackOff event");
        Assert.Equal($"Back-off pulling image \"{unpullable}\"", backOff["message"]!.GetValue<string>());
        await api.WaitForAsync($"{events},reason%3DPulling", static _ => true, Within, "a Pulling event");

        // A missing image under pull policy Never is not retried into a pull: ErrImageNeverPull, as the kubelet says.
        var never = await api.WaitForAsync(pods, static p => p["metadata"]!["name"]!.GetValue<string>() == "never" && Waiting(p) == "ErrImageNeverPull", Within, "never in ErrImageNeverPull");
        Assert.Contains("is not present with pull policy of Never", never["status"]!["containerStatuses"]![0]!["state"]!["waiting"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await kubectl.OkAsync("delete", "namespace", ns, "--wait=false");
    }

    private static string? Waiting(JsonObject pod) => pod["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["reason"]?.GetValue<string>();
}
