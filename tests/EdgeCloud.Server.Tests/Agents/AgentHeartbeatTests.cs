using System.Text.Json.Nodes;
using EdgeCloud.Server.Tests.EndToEnd;

namespace EdgeCloud.Server.Tests.Agents;

/// <summary>An edgecloud whose node monitor grace (15 s) is above the heartbeat interval (10 s) but short enough to test.</summary>
public sealed class HeartbeatServer() : EdgeCloudProcess(["--node-monitor-grace-period", "15"]);

/// <summary>
/// Heartbeats ride the tunnel: the cloud renews a connected agent's Lease from the live session, so an idle node
/// stays Ready without sending Lease updates; a node whose agent dies turns Unknown; it is Ready again on return.
/// </summary>
public sealed class AgentHeartbeatTests(HeartbeatServer server) : IClassFixture<HeartbeatServer>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_connected_node_stays_Ready_on_the_tunnel_heartbeat_and_turns_Unknown_when_its_agent_dies()
    {
        using var api = await AdminApi.OpenAsync(server.KubeconfigPath);
        await using var agent = new AgentProcess(AgentProcess.ServerOf(server.ApiAddress), Path.Combine(server.DataDirectory, "agent-token"), "beat-1");
        agent.Start();
        await api.WaitForAsync("api/v1/nodes", static n => Named(n, "beat-1") && AdminApi.IsReady(n), Within, "beat-1 Ready");
        var first = await api.WaitForAsync("apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", static l => Named(l, "beat-1"), Within, "beat-1's Lease");
        var renewedAt = RenewTime(first);

        // Two renewals by the cloud: 20 s, longer than the 15 s grace, with the agent idle. The node never turns Unknown.
        var unknown = api.WaitForAsync("api/v1/nodes", static n => Named(n, "beat-1") && Condition(n) == "Unknown", TimeSpan.FromSeconds(25), "beat-1 Unknown while connected");
        var renewed = await api.WaitForAsync("apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", l => Named(l, "beat-1") && RenewTime(l) > renewedAt, Within, "a renewal by the cloud");
        await api.WaitForAsync("apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", l => Named(l, "beat-1") && RenewTime(l) > RenewTime(renewed), Within, "a second renewal by the cloud");
        Assert.False(unknown.IsCompletedSuccessfully, "the node turned Unknown while its agent was connected");
        Assert.DoesNotContain("talking to the cloud failed", agent.Output, StringComparison.Ordinal);

        // The agent dies: renewals stop with its session; the node turns Unknown, and Ready again when it returns.
        await agent.KillAsync();
        await api.WaitForAsync("api/v1/nodes", static n => Named(n, "beat-1") && Condition(n) == "Unknown", Within, "beat-1 Unknown after its agent died");
        agent.Start();
        await api.WaitForAsync("api/v1/nodes", static n => Named(n, "beat-1") && AdminApi.IsReady(n), Within, "beat-1 Ready again");
        try
        {
            await unknown;
        }
        catch (TimeoutException)
        {
            // Expected: it never turned Unknown while connected.
        }
    }

    private static bool Named(JsonObject obj, string name) => obj["metadata"]!["name"]!.GetValue<string>() == name;

    private static DateTimeOffset RenewTime(JsonObject lease) => DateTimeOffset.Parse(lease["spec"]!["renewTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    private static string? Condition(JsonObject node) =>
        (node["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(static c => c["type"]?.GetValue<string>() == "Ready")?["status"]?.GetValue<string>();
}
