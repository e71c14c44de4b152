using System.Diagnostics;
using System.Text.Json.Nodes;
using EdgeCloud.Server.Tests.EndToEnd;

namespace EdgeCloud.Server.Tests.Agents;

/// <summary>Workloads on a real edge-agent with the process runtime: Deployments, restarts, Jobs, deletion.</summary>
public sealed class AgentPodsTests(EdgeCloudProcess server) : IClassFixture<EdgeCloudProcess>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_Deployment_runs_on_the_agent_and_its_pods_see_their_env_and_volumes()
    {
        await using var agent = await StartAgentAsync("pods-web");
        var kubectl = new Kubectl("1.33", server.KubeconfigPath);
        var ns = await NamespaceAsync(kubectl, "web");
        await kubectl.OkAsync("create", "configmap", "cfg", "-n", ns, "--from-literal=greeting=hello", "--from-literal=file.txt=from-a-volume");
        await kubectl.OkWithInputAsync(Deployment("web", ns, "pods-web", 2, "echo $GREETING from $POD_NAME; cat etc/cfg/file.txt; echo; exec sleep 3600"), "apply", "-f", "-");
        await kubectl.OkAsync("rollout", "status", "deploy/web", "-n", ns, "--timeout=60s");

        var pods = Items(await kubectl.OkAsync("get", "pods", "-n", ns, "-l", "app=web", "-o", "json"));
        Assert.Equal(2, pods.Count);
        foreach (var pod in pods)
        {
            var name = pod["metadata"]!["name"]!.GetValue<string>();
            Assert.Equal("pods-web", pod["spec"]!["nodeName"]!.GetValue<string>());
            Assert.Equal("Running", pod["status"]!["phase"]!.GetValue<string>());
            var container = pod["status"]!["containerStatuses"]![0]!;
            Assert.True(container["ready"]!.GetValue<bool>());
            Assert.NotNull(container["state"]!["running"]);
            Assert.StartsWith("process://", container["containerID"]!.GetValue<string>(), StringComparison.Ordinal);

            // One host process per pod, whose output shows the env (ConfigMap and fieldRef) and the configMap volume.
            var uid = pod["metadata"]!["uid"]!.GetValue<string>();
            Assert.Single(PodProcesses.Of(agent.DataDirectory, uid, "sleep"));
            var log = await ReadLogAsync(agent, uid, "from-a-volume");
            Assert.Contains($"hello from {name}", log, StringComparison.Ordinal);
        }

        // Deleting the Deployment stops and removes the pods' processes, and the pods go away in the cloud.
        await kubectl.OkAsync("delete", "deploy", "web", "-n", ns, "--wait=true");
        await kubectl.OkAsync("wait", "--for=delete", "pod", "-l", "app=web", "-n", ns, "--timeout=60s");
        foreach (var pod in pods)
        {
            Assert.Empty(PodProcesses.Of(agent.DataDirectory, pod["metadata"]!["uid"]!.GetValue<string>(), "sleep"));
        }
    }

    [Theory]
    [InlineData("1.27")]
    [InlineData("1.33")]
    public async Task Kubectl_logs_and_exec_reach_the_pod_on_the_agent_through_the_tunnel(string version)
    {
        var node = "pods-exec-" + version.Replace(".", "", StringComparison.Ordinal);
        await using var agent = await StartAgentAsync(node);
        var kubectl = new Kubectl(version, server.KubeconfigPath);
        var ns = await NamespaceAsync(kubectl, "exec");
        await kubectl.OkAsync("create", "configmap", "cfg", "-n", ns, "--from-literal=greeting=hello", "--from-literal=file.txt=x");
        await kubectl.OkWithInputAsync(Deployment("shell", ns, node, 1, "echo $GREETING from $POD_NAME; echo second line; exec sleep 3600"), "apply", "-f", "-");
        await kubectl.OkAsync("rollout", "status", "deploy/shell", "-n", ns, "--timeout=60s");
        var pod = Items(await kubectl.OkAsync("get", "pods", "-n", ns, "-l", "app=shell", "-o", "json")).Single()["metadata"]!["name"]!.GetValue<string>();

        var logs = await kubectl.OkAsync("logs", pod, "-n", ns);
        Assert.Contains($"hello from {pod}", logs, StringComparison.Ordinal);
        Assert.Equal("second line", (await kubectl.OkAsync("logs", pod, "-n", ns, "--tail=1")).Trim());

        // The container's env, and the real exit code (kubectl exits with it).
        var exec = await kubectl.RunAsync(["exec", pod, "-n", ns, "--", "sh", "-c", "echo out $GREETING; echo err >&2; exit 3"]);
        Assert.Equal(3, exec.ExitCode);
        Assert.Equal("out hello", exec.Stdout.Trim());
        Assert.Contains("err", exec.Stderr, StringComparison.Ordinal);
        var piped = await kubectl.RunAsync(["exec", "-i", pod, "-n", ns, "--", "cat"], input: "through the tunnel\n");
        Assert.Equal(0, piped.ExitCode);
        Assert.Equal("through the tunnel", piped.Stdout.Trim());
    }

    [Fact]
    public async Task A_failing_container_is_restarted_with_back_off_and_a_Job_completes()
    {
        await using var agent = await StartAgentAsync("pods-restart");
        var kubectl = new Kubectl("1.33", server.KubeconfigPath);
        var ns = await NamespaceAsync(kubectl, "restart");
        await kubectl.OkWithInputAsync(Pod("crasher", ns, "pods-restart", "Always", "echo crashing; exit 3"), "apply", "-f", "-");
        using var api = await AdminApi.OpenAsync(server.KubeconfigPath);
        var crashed = await api.WaitForAsync($"api/v1/namespaces/{ns}/pods", static p =>
            p["status"]?["containerStatuses"]?[0]?["restartCount"]?.GetValue<int>() >= 2
            && p["status"]!["containerStatuses"]![0]!["state"]!["waiting"]?["reason"]?.GetValue<string>() == "CrashLoopBackOff", Within, "crasher restarted twice and in CrashLoopBackOff");
        var status = crashed["status"]!["containerStatuses"]![0]!;
        Assert.Equal(3, status["lastState"]!["terminated"]!["exitCode"]!.GetValue<int>());
        Assert.Equal("Error", status["lastState"]!["terminated"]!["reason"]!.GetValue<string>());
        Assert.Equal("Running", crashed["status"]!["phase"]!.GetValue<string>());
        // The previous attempt's output stays readable (kubectl logs --previous), through the tunnel.
        Assert.Contains("crashing", await kubectl.OkAsync("logs", "crasher", "-n", ns, "--previous"), StringComparison.Ordinal);

        await kubectl.OkWithInputAsync($$"""
            apiVersion: batch/v1
            kind: Job
            metadata: {name: once, namespace: {{ns}}}
            spec:
              backoffLimit: 0
              template:
                spec:
                  nodeSelector: {kubernetes.io/hostname: pods-restart}
                  restartPolicy: Never
                  containers:
                  - {name: main, image: busybox, command: ["sh", "-c", "echo done"]}
            """, "apply", "-f", "-");
        await kubectl.OkAsync("wait", "--for=condition=complete", "job/once", "-n", ns, "--timeout=60s");
        var job = Items(await kubectl.OkAsync("get", "pods", "-n", ns, "-l", "job-name=once", "-o", "json")).Single();
        Assert.Equal("Succeeded", job["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(0, job["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!["exitCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_container_that_fails_its_liveness_probe_is_restarted_and_one_that_fails_readiness_is_not_Ready()
    {
        await using var agent = await StartAgentAsync("pods-probes");
        var kubectl = new Kubectl("1.33", server.KubeconfigPath);
        var ns = await NamespaceAsync(kubectl, "probes");
        // Healthy for its first seconds (the file exists), then not: liveness fails twice in a row and kills it.
        await kubectl.OkWithInputAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: sickly, namespace: {{ns}}}
            spec:
              nodeSelector: {kubernetes.io/hostname: pods-probes}
              terminationGracePeriodSeconds: 2
              containers:
              - name: main
                image: busybox
                command: ["sh", "-c", "touch healthy; sleep 2; rm -f healthy; exec sleep 3600"]
                livenessProbe:
                  exec: {command: ["test", "-f", "healthy"]}
                  periodSeconds: 1
                  failureThreshold: 2
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: unready, namespace: {{ns}}}
            spec:
              nodeSelector: {kubernetes.io/hostname: pods-probes}
              containers:
              - name: main
                image: busybox
                command: ["sleep", "3600"]
                readinessProbe:
                  tcpSocket: {port: 1}
                  periodSeconds: 1
            """, "apply", "-f", "-");
        using var api = await AdminApi.OpenAsync(server.KubeconfigPath);
        var restarted = await api.WaitForAsync($"api/v1/namespaces/{ns}/pods", static p =>
            p["metadata"]!["name"]!.GetValue<string>() == "sickly" && p["status"]?["containerStatuses"]?[0]?["restartCount"]?.GetValue<int>() >= 1, Within, "sickly restarted by its liveness probe");
        Assert.Equal(143, restarted["status"]!["containerStatuses"]![0]!["lastState"]!["terminated"]!["exitCode"]!.GetValue<int>());
        Assert.Contains("failed its liveness probe", agent.Output, StringComparison.Ordinal);

        var unready = await api.WaitForAsync($"api/v1/namespaces/{ns}/pods", static p =>
            p["metadata"]!["name"]!.GetValue<string>() == "unready" && p["status"]?["containerStatuses"]?[0]?["state"]?["running"] is not null, Within, "unready running");
        Assert.False(unready["status"]!["containerStatuses"]![0]!["ready"]!.GetValue<bool>());
        var ready = (unready["status"]!["conditions"] as JsonArray)!.Single(static c => c!["type"]!.GetValue<string>() == "Ready")!;
        Assert.Equal("False", ready["status"]!.GetValue<string>());
        Assert.Equal("ContainersNotReady", ready["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_container_whose_configmap_is_missing_waits_with_CreateContainerConfigError_then_starts_when_it_appears()
    {
        await using var agent = await StartAgentAsync("pods-config");
        var kubectl = new Kubectl("1.33", server.KubeconfigPath);
        var ns = await NamespaceAsync(kubectl, "config");
        await kubectl.OkWithInputAsync(Deployment("needs", ns, "pods-config", 1, "echo $GREETING; exec sleep 3600"), "apply", "-f", "-");
        using var api = await AdminApi.OpenAsync(server.KubeconfigPath);
        var waiting = await api.WaitForAsync($"api/v1/namespaces/{ns}/pods", static p =>
            p["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["reason"]?.GetValue<string>() == "CreateContainerConfigError", Within, "CreateContainerConfigError");
        Assert.Contains("configmap \"cfg\" not found", waiting["status"]!["containerStatuses"]![0]!["state"]!["waiting"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await kubectl.OkAsync("create", "configmap", "cfg", "-n", ns, "--from-literal=greeting=late", "--from-literal=file.txt=x");
        await kubectl.OkAsync("rollout", "status", "deploy/needs", "-n", ns, "--timeout=60s");
    }

    private async Task<AgentProcess> StartAgentAsync(string node)
    {
        var agent = new AgentProcess(AgentProcess.ServerOf(server.ApiAddress), Path.Combine(server.DataDirectory, "agent-token"), node);
        agent.Start();
        using var api = await AdminApi.OpenAsync(server.KubeconfigPath);
        await api.WaitForAsync("api/v1/nodes", n => n["metadata"]!["name"]!.GetValue<string>() == node && AdminApi.IsReady(n), Within, $"node {node} Ready");
        return agent;
    }

    private static async Task<string> NamespaceAsync(Kubectl kubectl, string prefix)
    {
        var ns = prefix + "-" + Guid.NewGuid().ToString("N")[..6];
        await kubectl.OkAsync("create", "namespace", ns);
        return ns;
    }

    /// <summary>The pod's container log as the process runtime writes it, once it contains <paramref name="expected"/>.</summary>
    private static async Task<string> ReadLogAsync(AgentProcess agent, string uid, string expected)
    {
        var clock = Stopwatch.StartNew();
        var containers = Path.Combine(agent.DataDirectory, "pods", uid, ".containers");
        using var watcher = new FileSystemWatcher(containers) { IncludeSubdirectories = true, EnableRaisingEvents = true };
        var changed = new SemaphoreSlim(0);
        watcher.Changed += (_, _) => changed.Release();
        watcher.Created += (_, _) => changed.Release();
        while (true)
        {
            var text = string.Join("\n", Directory.EnumerateFiles(containers, "log", SearchOption.AllDirectories).Select(File.ReadAllText));
            if (text.Contains(expected, StringComparison.Ordinal))
            {
                return text;
            }

            if (!await changed.WaitAsync(Within - clock.Elapsed))
            {
                throw new TimeoutException($"the log of pod {uid} never showed \"{expected}\": {text}");
            }
        }
    }

    internal static List<JsonObject> Items(string json) => [.. (JsonNode.Parse(json)!["items"] as JsonArray)!.OfType<JsonObject>()];

    internal static string Deployment(string name, string ns, string node, int replicas, string script) => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: {{{name}}}, namespace: {{{ns}}}}
        spec:
          replicas: {{{replicas}}}
          selector: {matchLabels: {app: {{{name}}}}}
          template:
            metadata: {labels: {app: {{{name}}}}}
            spec:
              nodeSelector: {kubernetes.io/hostname: {{{node}}}}
              terminationGracePeriodSeconds: 5
              containers:
              - name: main
                image: busybox
                command: ["sh", "-c", {{{System.Text.Json.JsonSerializer.Serialize(script)}}}]
                env:
                - name: GREETING
                  valueFrom:
                    configMapKeyRef: {name: cfg, key: greeting}
                - name: POD_NAME
                  valueFrom:
                    fieldRef: {fieldPath: metadata.name}
                volumeMounts:
                - {name: cfg, mountPath: /etc/cfg}
                readinessProbe:
                  exec: {command: ["true"]}
                  periodSeconds: 1
              volumes:
              - {name: cfg, configMap: {name: cfg}}
        """;

    internal static string Pod(string name, string ns, string node, string restartPolicy, string script) => $$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: {{name}}, namespace: {{ns}}}
        spec:
          nodeSelector: {kubernetes.io/hostname: {{node}}}
          restartPolicy: {{restartPolicy}}
          containers:
          - name: main
            image: busybox
            command: ["sh", "-c", {{System.Text.Json.JsonSerializer.Serialize(script)}}]
        """;
}
