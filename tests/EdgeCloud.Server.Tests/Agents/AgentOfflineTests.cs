using System.Diagnostics;
using EdgeCloud.Server.Tests.EndToEnd;

namespace EdgeCloud.Server.Tests.Agents;

/// <summary>
/// Offline autonomy with real processes: the cloud goes away for a minute and the pods keep running; the agent is
/// killed meanwhile and its pods come back from its cache within 5 s; when the cloud returns there is exactly one
/// copy of each pod with its status current; a deletion made while the agent was down is applied when it returns.
/// </summary>
public sealed class AgentOfflineTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Pods_keep_running_through_a_cloud_outage_and_an_agent_restart_and_resync_without_duplicates()
    {
        await using var server = new RestartableServer();
        await server.InitializeAsync();
        var kubectl = new Kubectl("1.33", server.KubeconfigPath);
        await using var agent = new AgentProcess(server.Server, Path.Combine(server.DataDirectory, "agent-token"), "offline-1");
        agent.Start();
        using (var api = await AdminApi.OpenAsync(server.KubeconfigPath))
        {
            await api.WaitForAsync("api/v1/nodes", static n => n["metadata"]!["name"]!.GetValue<string>() == "offline-1" && AdminApi.IsReady(n), Within, "node offline-1 Ready");
        }

        await kubectl.OkAsync("create", "configmap", "cfg", "--from-literal=greeting=hi", "--from-literal=file.txt=x");
        await kubectl.OkWithInputAsync(AgentPodsTests.Deployment("steady", "default", "offline-1", 1, "echo $GREETING; exec sleep 3600"), "apply", "-f", "-");
        await kubectl.OkAsync("rollout", "status", "deploy/steady", "--timeout=60s");
        var pod = AgentPodsTests.Items(await kubectl.OkAsync("get", "pods", "-l", "app=steady", "-o", "json")).Single();
        var podName = pod["metadata"]!["name"]!.GetValue<string>();
        var uid = pod["metadata"]!["uid"]!.GetValue<string>();
        var first = Assert.Single(PodProcesses.Of(agent.DataDirectory, uid, "sleep"));

        // The cloud goes away.
        await server.StopAsync();
        var outage = Stopwatch.StartNew();
        // Event timestamps have whole seconds.
        var stopped = DateTimeOffset.UtcNow;
        var offlineFrom = stopped.AddTicks(-(stopped.Ticks % TimeSpan.TicksPerSecond));

        // Offline, the agent dies and so does the pod's process (as in a power cut); the agent comes back and starts
        // the pod again from its cache, without the cloud, within 5 s.
        await agent.KillAsync();
        Process.GetProcessById(first).Kill();
        agent.Start();
        var restarted = Stopwatch.StartNew();
        await agent.WaitForOutputAsync(static line => line.Contains("container main started (attempt 1)", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        Assert.True(restarted.Elapsed < TimeSpan.FromSeconds(5), $"restarted from the cache after {restarted.Elapsed.TotalSeconds:0.0} s");
        var second = Assert.Single(PodProcesses.Of(agent.DataDirectory, uid, "sleep"));

        // The rest of the minute offline: the pod keeps running.
        var left = Outage - outage.Elapsed;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }

        Assert.True(PodProcesses.IsAlive(second), "the pod's process died while the cloud was away");
        Assert.False(agent.HasExited, "the agent exited while the cloud was away:\n" + agent.Output);

        // The cloud returns: one copy of the pod, its status current (restarted once, running again, Ready).
        await server.InitializeAsync();
        using (var api = await AdminApi.OpenAsync(server.KubeconfigPath))
        {
            var current = await api.WaitForAsync("api/v1/namespaces/default/pods", p =>
                p["metadata"]!["uid"]!.GetValue<string>() == uid
                && p["status"]?["containerStatuses"]?[0]?["restartCount"]?.GetValue<int>() == 1
                && p["status"]!["containerStatuses"]![0]!["ready"]!.GetValue<bool>(), Within, "the pod's status brought up to date");
            Assert.NotNull(current["status"]!["containerStatuses"]![0]!["state"]!["running"]);
            Assert.Equal(137, current["status"]!["containerStatuses"]![0]!["lastState"]!["terminated"]!["exitCode"]!.GetValue<int>());
            await api.WaitForAsync("api/v1/nodes", static n => n["metadata"]!["name"]!.GetValue<string>() == "offline-1" && AdminApi.IsReady(n), Within, "node offline-1 Ready again");

            // What the agent recorded offline reaches the cloud too: the container's restart from the cache.
            await api.WaitForAsync($"api/v1/namespaces/default/events?fieldSelector=reason%3DStarted,involvedObject.uid%3D{uid}", e =>
                DateTimeOffset.Parse(e["firstTimestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= offlineFrom, Within, "the Started event recorded offline");
        }

        Assert.Single(AgentPodsTests.Items(await kubectl.OkAsync("get", "pods", "-l", "app=steady", "-o", "json")));
        Assert.Equal([second], PodProcesses.Of(agent.DataDirectory, uid, "sleep"));

        // A deletion made while the agent is down: the pod is Terminating until the agent returns, which stops its
        // process, finishes the deletion and starts the replacement the ReplicaSet made.
        await agent.KillAsync();
        await kubectl.OkAsync("delete", "pod", podName, "--wait=false");
        agent.Start();
        await kubectl.OkAsync("wait", "--for=delete", "pod/" + podName, "--timeout=60s");
        Assert.False(PodProcesses.IsAlive(second), "the deleted pod's process still runs");
        await kubectl.OkAsync("rollout", "status", "deploy/steady", "--timeout=60s");
        var replacement = AgentPodsTests.Items(await kubectl.OkAsync("get", "pods", "-l", "app=steady", "-o", "json")).Single();
        Assert.NotEqual(uid, replacement["metadata"]!["uid"]!.GetValue<string>());
        Assert.Single(PodProcesses.Of(agent.DataDirectory, replacement["metadata"]!["uid"]!.GetValue<string>(), "sleep"));
        Assert.Empty(PodProcesses.Of(agent.DataDirectory, uid, "sleep"));
    }
}
