using System.Text.Json.Nodes;
using EdgeCloud.Server.Tests.EndToEnd;

namespace EdgeCloud.Server.Tests.Agents;

/// <summary>The Events a real edge-agent (process runtime) writes about its pods, as a kubelet does, and what kubectl shows of them.</summary>
public sealed class AgentEventsTests(EdgeCloudProcess server) : IClassFixture<EdgeCloudProcess>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Container_starts_crashes_probe_failures_and_the_stop_are_events_from_the_kubelet_of_the_node()
    {
        const string node = "events-1";
        await using var agent = new AgentProcess(AgentProcess.ServerOf(server.ApiAddress), Path.Combine(server.DataDirectory, "agent-token"), node);
        agent.Start();
        using var api = await AdminApi.OpenAsync(server.KubeconfigPath);
        await api.WaitForAsync("api/v1/nodes", static n => n["metadata"]!["name"]!.GetValue<string>() == node && AdminApi.IsReady(n), Within, $"node {node} Ready");

        var kubectl = new Kubectl("1.33", server.KubeconfigPath);
        var ns = "events-" + Guid.NewGuid().ToString("N")[..6];
        await kubectl.OkAsync("create", "namespace", ns);
        await kubectl.OkWithInputAsync($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: watched, namespace: {{ns}}}
            spec:
              nodeSelector: {kubernetes.io/hostname: {{node}}}
              terminationGracePeriodSeconds: 5
              containers:
              - name: crash
                image: busybox
                command: ["sh", "-c", "echo bye; exit 1"]
              - name: probed
                image: busybox
                command: ["sh", "-c", "exec sleep 3600"]
                readinessProbe:
                  exec: {command: ["sh", "-c", "echo not ready yet; exit 1"]}
                  periodSeconds: 1
                  timeoutSeconds: 10
            """, "apply", "-f", "-");

        var events = $"api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.name%3Dwatched";
        var started = await api.WaitForAsync(events, static e => Is(e, "Started", "spec.containers{probed}"), Within, "a Started event of container probed");
        Assert.Equal("Normal", started["type"]!.GetValue<string>());
        Assert.Equal("Started container probed", started["message"]!.GetValue<string>());
        Assert.Equal("kubelet", started["source"]!["component"]!.GetValue<string>());
        Assert.Equal(node, started["source"]!["host"]!.GetValue<string>());
        Assert.Equal("Pod", started["involvedObject"]!["kind"]!.GetValue<string>());
        Assert.NotNull(started["involvedObject"]!["uid"]);
        await api.WaitForAsync(events, static e => Is(e, "Created", "spec.containers{crash}"), Within, "a Created event of container crash");

        // The crashing container waits out its back-off; the failing probe's repeats add to one Event's count.
        var backOff = await api.WaitForAsync(events, static e => Is(e, "BackOff", "spec.containers{crash}"), Within, "a BackOff event");
        Assert.Equal("Warning", backOff["type"]!.GetValue<string>());
        Assert.StartsWith("Back-off restarting failed container crash in pod watched_", backOff["message"]!.GetValue<string>(), StringComparison.Ordinal);
        const string notReady = "Readiness probe failed: not ready yet";
        var unhealthy = await api.WaitForAsync(
            events, static e => Is(e, "Unhealthy", "spec.containers{probed}") && e["message"]!.GetValue<string>() == notReady && e["count"]!.GetValue<int>() >= 2,
            Within, "an Unhealthy event seen twice");
        Assert.True(DateTimeOffset.Parse(unhealthy["lastTimestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            >= DateTimeOffset.Parse(unhealthy["firstTimestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        // Repeats are one Event, not one each (a probe that timed out on a busy machine would be a series of its own).
        var sameFailure = (await api.GetAsync(events))!["items"]!.AsArray().OfType<JsonObject>().Count(static e => e["message"]!.GetValue<string>() == notReady);
        Assert.Equal(1, sameFailure);

        var describe = await kubectl.OkAsync("describe", "pod", "watched", "-n", ns);
        Assert.Matches(@"Warning\s+Unhealthy\s+.*kubelet\s+Readiness probe failed: not ready yet", describe);
        Assert.Matches(@"Normal\s+Started\s+.*kubelet\s+Started container probed", describe);

        await kubectl.OkAsync("delete", "pod", "watched", "-n", ns, "--wait=false");
        var killing = await api.WaitForAsync(events, static e => Is(e, "Killing", "spec.containers{probed}"), Within, "a Killing event");
        Assert.Equal("Stopping container probed", killing["message"]!.GetValue<string>());
    }

    private static bool Is(JsonObject e, string reason, string fieldPath) =>
        e["reason"]?.GetValue<string>() == reason && e["involvedObject"]?["fieldPath"]?.GetValue<string>() == fieldPath;
}
