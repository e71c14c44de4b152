namespace EdgeCloud.Server.Tests.EndToEnd;

/// <summary>The real edgecloud with a 3 s node monitor grace period, so that a silent node is noticed quickly.</summary>
public sealed class QuickNodeMonitorServer() : EdgeCloudProcess(["--node-monitor-grace-period", "3"]);

/// <summary>
/// An edge node whose link drops: it turns Ready=Unknown with the unreachable NoSchedule taint, keeps its pods
/// (no eviction by default), gets nothing new, and is Ready again with the same pods when it comes back.
/// </summary>
public sealed class NodeLifecycleKubectlTests(QuickNodeMonitorServer server) : IClassFixture<QuickNodeMonitorServer>
{
    [Fact]
    public async Task Silent_node_keeps_its_pods_and_comes_back_ready_without_duplicates()
    {
        var kubectl = new Kubectl("1.33", server.KubeconfigPath);
        await using var node = await SimulatedNode.StartAsync(server.KubeconfigPath, "wavelength-1");
        await kubectl.OkAsync("create", "deployment", "cam", "--image=registry.local/camera:1", "--replicas=2");
        await kubectl.OkAsync("rollout", "status", "deploy/cam", "--timeout=45s");
        var before = await PodNamesAsync(kubectl);
        Assert.Equal(2, before.Count);

        node.Silence();
        await kubectl.OkAsync("wait", "node/wavelength-1", "--for=condition=Ready=Unknown", "--timeout=30s");
        var taints = await kubectl.OkAsync("get", "node", "wavelength-1", "-o", "jsonpath={range .spec.taints[*]}{.key}:{.effect}{\"\\n\"}{end}");
        Assert.Contains("node.kubernetes.io/unreachable:NoSchedule", taints, StringComparison.Ordinal);
        Assert.DoesNotContain("NoExecute", taints, StringComparison.Ordinal);
        Assert.Contains("NotReady", await kubectl.OkAsync("get", "node", "wavelength-1"), StringComparison.Ordinal);

        // The pods stay bound and are not being deleted: the node keeps running them offline.
        Assert.Equal(before, await PodNamesAsync(kubectl));
        Assert.Equal("", (await kubectl.OkAsync("get", "pods", "-l", "app=cam", "-o", "jsonpath={.items[*].metadata.deletionTimestamp}")).Trim());
        Assert.Equal("wavelength-1 wavelength-1", (await kubectl.OkAsync("get", "pods", "-l", "app=cam", "-o", "jsonpath={.items[*].spec.nodeName}")).Trim());

        // Nothing new lands on it meanwhile.
        await kubectl.OkAsync("scale", "deploy/cam", "--replicas=3");
        await kubectl.OkAsync("wait", "pods", "-l", "app=cam", "--for=condition=PodScheduled=false", "--timeout=30s", "--field-selector", "spec.nodeName=");
        var pending = await kubectl.OkAsync("get", "pods", "-l", "app=cam", "--field-selector", "spec.nodeName=", "-o", "jsonpath={.items[0].status.conditions[?(@.type==\"PodScheduled\")].message}");
        Assert.Contains("untolerated taint {node.kubernetes.io/unreachable: }", pending, StringComparison.Ordinal);

        node.Resume();
        await kubectl.OkAsync("wait", "node/wavelength-1", "--for=condition=Ready=True", "--timeout=30s");
        await kubectl.OkAsync("rollout", "status", "deploy/cam", "--timeout=45s");
        Assert.Equal("", (await kubectl.OkAsync("get", "node", "wavelength-1", "-o", "jsonpath={.spec.taints}")).Trim());
        var after = await PodNamesAsync(kubectl);
        Assert.Equal(3, after.Count);
        Assert.Superset(before.ToHashSet(), after.ToHashSet());
    }

    private static async Task<List<string>> PodNamesAsync(Kubectl kubectl) =>
        [.. (await kubectl.OkAsync("get", "pods", "-l", "app=cam", "-o", "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];
}
