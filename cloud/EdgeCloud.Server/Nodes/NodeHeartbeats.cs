using System.Globalization;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Server.Api;
using EdgeCloud.Tunnel;

namespace EdgeCloud.Server.Nodes;

/// <summary>
/// Heartbeats ride the tunnel: for every node whose tunnel session has heard from its agent lately (the tunnel's
/// own keepalive, every 15 s, or any traffic), this replica renews the node's Lease in kube-node-lease, so an idle
/// edge node sends nothing upstream but tunnel pings (a renewal over HTTP costs it ~330 bytes every 10 s: 0.26
/// kbit/s, more than a 5G IoT data plan likes). A node whose session goes silent stops being renewed within
/// <see cref="Freshness"/> and is unreachable <c>--node-monitor-grace-period</c> later, as if its kubelet had stopped.
/// One timer per process serves every session (no per-node timers).
/// </summary>
internal sealed partial class NodeHeartbeats(NodeTunnels tunnels, ResourceStore objects, ClusterKinds kinds, TimeProvider time, ILogger<NodeHeartbeats> logger) : BackgroundService
{
    /// <summary>How often connected nodes' Leases are renewed (kubelet's node lease renewal interval).</summary>
    public static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(10);

    /// <summary>A session is proof of life while it heard from the peer within this: the keepalive interval plus slack.</summary>
    public static readonly TimeSpan Freshness = new TunnelOptions().KeepAliveInterval + TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RenewInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RenewAllAsync(stoppingToken);
        }
    }

    /// <summary>One round: renews the Lease of every live, fresh node session.</summary>
    public async Task RenewAllAsync(CancellationToken cancellationToken)
    {
        var leases = kinds.BuiltIn.FindResource("coordination.k8s.io", "v1", "leases") ?? throw new InvalidOperationException("the Lease kind is not declared");
        var renewTime = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var fresh = tunnels.Registry.Snapshot().Where(static s => s.Identity is not null && !s.IsShuttingDown && s.SinceLastReceived < Freshness).ToList();
        await Parallel.ForEachAsync(fresh, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (session, token) =>
        {
            var (cluster, node) = NodeTunnels.NodeOf(session);
            try
            {
                await objects.UpdateAsync(cluster, leases, NodeAuthorizer.LeaseNamespace, node, lease =>
                {
                    if (lease["spec"] is System.Text.Json.Nodes.JsonObject spec)
                    {
                        spec["renewTime"] = renewTime;
                    }

                    return lease;
                }, dryRun: false, token);
            }
            catch (KubeApiException missing) when (missing.Code == 404)
            {
                // The agent creates its Lease when it registers; nothing to renew before that.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRenewFailed(logger, cluster, node, e);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster {Cluster}: renewing the Lease of node {Node} failed")]
    private static partial void LogRenewFailed(ILogger logger, string cluster, string node, Exception error);
}
