using System.Text.Json.Nodes;

namespace EdgeCloud.Server.Tests.EndToEnd;

/// <summary>
/// The fleet's workhorse against the real edgecloud executable: a DaemonSet whose nodeSelector picks one edge site
/// lands only there, rolls a new image, and `kubectl rollout status|history|undo` work, with the oldest, a middle
/// and the newest supported kubectl. Each site is a <see cref="SimulatedNode"/>.
/// </summary>
public sealed class DaemonSetKubectlTests(EdgeCloudProcess server) : IClassFixture<EdgeCloudProcess>
{
    [Theory]
    [MemberData(nameof(Kubectl.Versions), MemberType = typeof(Kubectl))]
    public async Task DaemonSet_lands_on_the_labelled_site_rolls_out_and_undoes_with_kubectl(string version)
    {
        var tag = version.Replace(".", "", StringComparison.Ordinal);
        var ns = $"e2e-ds-{tag}";
        var site = $"plant-7-gw-{tag}";
        var office = $"office-{tag}";
        var late = $"plant-7-gw2-{tag}";
        var kubectl = new Kubectl(version, server.KubeconfigPath);
        await kubectl.OkWithInputAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n", "apply", "-f", "-");
        try
        {
            await using var siteNode = await SimulatedNode.StartAsync(server.KubeconfigPath, site, new Dictionary<string, string> { ["site"] = "plant-7" }, cpu: "4");
            await using var officeNode = await SimulatedNode.StartAsync(server.KubeconfigPath, office, new Dictionary<string, string> { ["site"] = "office" }, cpu: "4");

            await kubectl.OkWithInputAsync(DaemonSet("fluent/fluent-bit:3.0"), "apply", "-n", ns, "-f", "-");
            Assert.Contains("successfully rolled out", await kubectl.OkAsync("rollout", "status", "ds/logs", "-n", ns, "--timeout=60s"), StringComparison.Ordinal);
            var pods = await PodsAsync(kubectl, ns);
            var first = Assert.Single(pods);
            Assert.Equal(site, first["spec"]!["nodeName"]!.GetValue<string>());
            Assert.Matches(@"logs\s+1\s+1\s+1\s+1\s+1\s+site=plant-7\s+", await kubectl.OkAsync("get", "ds", "-n", ns));

            await kubectl.OkAsync("set", "image", "ds/logs", "agent=fluent/fluent-bit:3.1", "-n", ns);
            Assert.Contains("successfully rolled out", await kubectl.OkAsync("rollout", "status", "ds/logs", "-n", ns, "--timeout=60s"), StringComparison.Ordinal);
            Assert.Equal("fluent/fluent-bit:3.1", Image(Assert.Single(await PodsAsync(kubectl, ns))));
            var history = await kubectl.OkAsync("rollout", "history", "ds/logs", "-n", ns);
            Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s*\n1\s+<none>\s*\n2\s+<none>", history);
            Assert.Contains("fluent/fluent-bit:3.0", await kubectl.OkAsync("rollout", "history", "ds/logs", "-n", ns, "--revision=1"), StringComparison.Ordinal);
            Assert.Matches(@"logs-\w+\s+daemonset\.apps/logs\s+2\s+", await kubectl.OkAsync("get", "controllerrevisions", "-n", ns));
            Assert.Contains("integer", await kubectl.OkAsync("explain", "controllerrevisions.revision"), StringComparison.Ordinal);

            Assert.Contains("rolled back", await kubectl.OkAsync("rollout", "undo", "ds/logs", "-n", ns), StringComparison.Ordinal);
            Assert.Contains("successfully rolled out", await kubectl.OkAsync("rollout", "status", "ds/logs", "-n", ns, "--timeout=60s"), StringComparison.Ordinal);
            Assert.Equal("fluent/fluent-bit:3.0", (await kubectl.OkAsync("get", "ds", "logs", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[0].image}")).Trim());
            var back = Assert.Single(await PodsAsync(kubectl, ns));
            Assert.Equal("fluent/fluent-bit:3.0", Image(back));
            Assert.Equal(site, back["spec"]!["nodeName"]!.GetValue<string>());
            // The first template is the newest revision now: history lists 2 and 3.
            Assert.Matches(@"\n2\s+<none>\s*\n3\s+<none>", await kubectl.OkAsync("rollout", "history", "ds/logs", "-n", ns));
            Assert.Equal(0, officeNode.PodsSeen);

            // A second plant-7 gateway joins later: it gets its pod, the office still none.
            await using var lateNode = await SimulatedNode.StartAsync(server.KubeconfigPath, late, new Dictionary<string, string> { ["site"] = "plant-7" }, cpu: "4");
            await kubectl.OkAsync("wait", "ds/logs", "-n", ns, "--for=jsonpath={.status.desiredNumberScheduled}=2", "--timeout=30s");
            Assert.Contains("successfully rolled out", await kubectl.OkAsync("rollout", "status", "ds/logs", "-n", ns, "--timeout=60s"), StringComparison.Ordinal);
            var nodes = (await PodsAsync(kubectl, ns)).Select(static p => p["spec"]!["nodeName"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(new[] { site, late }.Order(StringComparer.Ordinal), nodes);
            Assert.Equal(0, officeNode.PodsSeen);
        }
        finally
        {
            await kubectl.RunAsync(["delete", "ds", "logs", "-n", ns, "--ignore-not-found", "--wait=false"]);
            await kubectl.RunAsync(["delete", "node", site, office, late, "--ignore-not-found", "--wait=false"]);
        }
    }

    private static string DaemonSet(string image) => $$"""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: logs
        spec:
          selector:
            matchLabels: {app: logs}
          updateStrategy:
            type: RollingUpdate
            rollingUpdate: {maxUnavailable: 1}
          template:
            metadata:
              labels: {app: logs}
            spec:
              nodeSelector: {site: plant-7}
              containers:
              - name: agent
                image: {{image}}
        """;

    private static async Task<List<JsonObject>> PodsAsync(Kubectl kubectl, string ns) =>
        (JsonNode.Parse(await kubectl.OkAsync("get", "pods", "-n", ns, "-o", "json"))!["items"] as JsonArray)!.OfType<JsonObject>()
            .Where(static p => p["metadata"]!["deletionTimestamp"] is null).ToList();

    private static string Image(JsonObject pod) => pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>();
}
