using System.Text.Json.Nodes;

namespace EdgeCloud.Server.Tests.EndToEnd;

/// <summary>
/// The controllers as kubectl users meet them, against the real edgecloud with a simulated node: rollouts
/// (status, scale, image change within maxUnavailable, history, undo, restart, pause/resume), and an
/// unschedulable pod's reason in `kubectl describe`.
/// </summary>
public sealed class ControllerKubectlTests(ServerWithNode server) : IClassFixture<ServerWithNode>
{
    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task Deployment_rolls_out_scales_changes_image_and_undoes(string version)
    {
        var kubectl = new Kubectl(version, server.KubeconfigPath);
        var ns = "rollout-" + version.Replace(".", "", StringComparison.Ordinal);
        await kubectl.OkAsync("create", "namespace", ns);
        await kubectl.OkWithInputAsync(Deployment("nginx:1.25", replicas: 3), "apply", "-n", ns, "-f", "-");
        Assert.Contains("successfully rolled out", await RolloutStatusAsync(kubectl, ns), StringComparison.Ordinal);
        Assert.Equal("3", (await kubectl.OkAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.status.availableReplicas}")).Trim());
        Assert.Equal(3, Lines(await kubectl.OkAsync("get", "pods", "-n", ns, "-l", "app=web", "--field-selector", "status.phase=Running", "-o", "name")).Count);

        await kubectl.OkAsync("scale", "deploy/web", "-n", ns, "--replicas=5");
        await RolloutStatusAsync(kubectl, ns);
        Assert.Equal("5", (await kubectl.OkAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.status.readyReplicas}")).Trim());
        await kubectl.OkAsync("scale", "deploy/web", "-n", ns, "--replicas=4");
        await kubectl.OkAsync("wait", "deploy/web", "-n", ns, "--for=jsonpath={.status.replicas}=4", "--timeout=60s");

        // An image change: watch availability throughout; maxUnavailable is 1 of 4.
        using var watching = new CancellationTokenSource();
        var lowest = LowestAvailableAsync(kubectl, ns, watching.Token);
        await kubectl.OkAsync("set", "image", "deploy/web", "-n", ns, "web=nginx:1.26");
        await RolloutStatusAsync(kubectl, ns);
        await watching.CancelAsync();
        Assert.True(await lowest >= 3, $"availability fell to {await lowest} during the rollout (replicas 4, maxUnavailable 1)");
        Assert.Equal(4, Lines(await kubectl.OkAsync("get", "pods", "-n", ns, "-l", "app=web", "-o", "jsonpath={range .items[*]}{.spec.containers[0].image}{\"\\n\"}{end}")).Count(static i => i == "nginx:1.26"));

        var history = await kubectl.OkAsync("rollout", "history", "deploy/web", "-n", ns);
        Assert.Matches(@"(?m)^1\s", history);
        Assert.Matches(@"(?m)^2\s", history);

        await kubectl.OkAsync("rollout", "undo", "deploy/web", "-n", ns);
        await RolloutStatusAsync(kubectl, ns);
        Assert.Equal("nginx:1.25", (await kubectl.OkAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image}")).Trim());
        Assert.Equal("3", (await kubectl.OkAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}")).Trim());
        await kubectl.OkAsync("wait", "deploy/web", "-n", ns, "--for=jsonpath={.status.replicas}=4", "--timeout=60s");

        await kubectl.OkAsync("rollout", "restart", "deploy/web", "-n", ns);
        await RolloutStatusAsync(kubectl, ns);
        Assert.Equal("4", (await kubectl.OkAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}")).Trim());

        await kubectl.OkAsync("rollout", "pause", "deploy/web", "-n", ns);
        await kubectl.OkAsync("set", "image", "deploy/web", "-n", ns, "web=nginx:1.27");
        await kubectl.OkAsync("wait", "deploy/web", "-n", ns, "--for=condition=Progressing=Unknown", "--timeout=30s");
        Assert.Contains("DeploymentPaused", await kubectl.OkAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type==\"Progressing\")].reason}"), StringComparison.Ordinal);
        Assert.DoesNotContain("nginx:1.27", await kubectl.OkAsync("get", "pods", "-n", ns, "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}"), StringComparison.Ordinal);
        await kubectl.OkAsync("rollout", "resume", "deploy/web", "-n", ns);
        await RolloutStatusAsync(kubectl, ns);
        Assert.Equal(4, Lines(await kubectl.OkAsync("get", "pods", "-n", ns, "-l", "app=web", "-o", "jsonpath={range .items[*]}{.spec.containers[0].image}{\"\\n\"}{end}")).Count(static i => i == "nginx:1.27"));
    }

    [Fact]
    public async Task Deleting_a_deployment_in_each_cascade_mode_treats_its_replica_set_and_pods_as_kubernetes_does()
    {
        var kubectl = new Kubectl("1.33", server.KubeconfigPath);
        foreach (var mode in new[] { "background", "foreground", "orphan" })
        {
            var ns = "cascade-" + mode;
            await kubectl.OkAsync("create", "namespace", ns);
            await kubectl.OkWithInputAsync(Deployment("nginx:1.25", replicas: 2), "apply", "-n", ns, "-f", "-");
            await RolloutStatusAsync(kubectl, ns);
            var replicaSet = (await kubectl.OkAsync("get", "rs", "-n", ns, "-o", "jsonpath={.items[0].metadata.name}")).Trim();

            // kubectl waits until the Deployment is gone; foreground only after its ReplicaSet and pods went first.
            await kubectl.OkAsync("delete", "deploy", "web", "-n", ns, $"--cascade={mode}", "--timeout=60s");
            if (mode == "orphan")
            {
                Assert.Equal("", (await kubectl.OkAsync("get", "rs", replicaSet, "-n", ns, "-o", "jsonpath={.metadata.ownerReferences}")).Trim());
                Assert.Equal(2, Lines(await kubectl.OkAsync("get", "pods", "-n", ns, "-l", "app=web", "--field-selector", "status.phase=Running", "-o", "name")).Count);
                continue;
            }

            if (mode == "foreground")
            {
                Assert.Contains("NotFound", (await kubectl.RunAsync(["get", "rs", replicaSet, "-n", ns])).Stderr, StringComparison.Ordinal);
                Assert.Equal("", (await kubectl.OkAsync("get", "pods", "-n", ns, "-o", "name")).Trim());
                continue;
            }

            await kubectl.OkAsync("wait", "--for=delete", $"rs/{replicaSet}", "-n", ns, "--timeout=30s");
            await kubectl.OkAsync("wait", "--for=delete", "pods", "-l", "app=web", "-n", ns, "--timeout=60s");
        }
    }

    [Fact]
    public async Task Unschedulable_pod_shows_its_reason_in_describe()
    {
        var kubectl = new Kubectl("1.33", server.KubeconfigPath);
        const string ns = "unschedulable";
        await kubectl.OkAsync("create", "namespace", ns);
        await kubectl.OkWithInputAsync("""
            apiVersion: v1
            kind: Pod
            metadata: {name: picky}
            spec:
              nodeSelector: {site: nowhere}
              containers:
              - {name: c, image: busybox, resources: {requests: {cpu: 100m}}}
            """, "apply", "-n", ns, "-f", "-");
        await kubectl.OkAsync("wait", "pod/picky", "-n", ns, "--for=condition=PodScheduled=false", "--timeout=30s");
        // The event is written right after the condition.
        var describe = "";
        for (var attempt = 0; attempt < 50 && !describe.Contains("FailedScheduling", StringComparison.Ordinal); attempt++)
        {
            describe = await kubectl.OkAsync("describe", "pod", "picky", "-n", ns);
        }

        Assert.Contains("FailedScheduling", describe, StringComparison.Ordinal);
        Assert.Matches(@"0/\d+ nodes are available: \d+ node\(s\) didn't match Pod's node affinity/selector", describe);
        Assert.Contains("Pending", await kubectl.OkAsync("get", "pod", "picky", "-n", ns), StringComparison.Ordinal);
    }

    /// <summary>`kubectl rollout status`; on failure the assertion shows the Deployment, its ReplicaSets and pods.</summary>
    private static async Task<string> RolloutStatusAsync(Kubectl kubectl, string ns)
    {
        var result = await kubectl.RunAsync(["rollout", "status", "deploy/web", "-n", ns, "--timeout=45s"]);
        if (result.ExitCode != 0)
        {
            var state = await kubectl.RunAsync(["get", "deploy,rs,pods", "-n", ns, "-o", "wide"]);
            var yaml = await kubectl.RunAsync(["get", "deploy/web", "-n", ns, "-o", "yaml"]);
            Assert.Fail($"rollout status failed: {result.Stderr}{result.Stdout}\n{state.Stdout}{state.Stderr}\n{yaml.Stdout}");
        }

        return result.Stdout;
    }

    private static async Task<int> LowestAvailableAsync(Kubectl kubectl, string ns, CancellationToken cancellationToken)
    {
        using var watch = kubectl.Start("get", "deploy", "web", "-n", ns, "-w", "-o", "jsonpath={.status.availableReplicas}{\"\\n\"}");
        var lowest = int.MaxValue;
        try
        {
            while (await watch.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
            {
                if (int.TryParse(line.Trim(), out var available))
                {
                    lowest = Math.Min(lowest, available);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            watch.Kill();
        }

        return lowest;
    }

    private static List<string> Lines(string output) => [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static string Deployment(string image, int replicas) => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: {{{replicas}}}
          strategy:
            type: RollingUpdate
            rollingUpdate: {maxSurge: 1, maxUnavailable: 1}
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: {{{image}}}
                resources: {requests: {cpu: 50m, memory: 32Mi}}
        """;
}
