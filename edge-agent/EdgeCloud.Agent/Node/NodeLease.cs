using System.Text.Json.Nodes;
using EdgeCloud.Agent.Cloud;

namespace EdgeCloud.Agent.Node;

/// <summary>
/// The node heartbeat: the Lease kube-node-lease/&lt;node&gt; (kubelet's node lease). The agent creates it, or renews it,
/// once per tunnel session; while the session lives the cloud renews it from the tunnel's own keepalive (the
/// server's NodeHeartbeats), so an idle node sends nothing but tunnel pings. The cloud's node lifecycle marks the
/// node unreachable when renewals stop, and Ready again when they resume.
/// </summary>
internal sealed class NodeLease(AgentOptions options, TimeProvider time)
{
    private string Path => "apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/" + options.NodeName;

    /// <summary>Renews the Lease (creating it when missing) for this session, then leaves renewals to the cloud until cancelled.</summary>
    public async Task RunAsync(ClusterApi api, string nodeUid, CancellationToken cancellationToken)
    {
        await RenewAsync(api, nodeUid, cancellationToken);
        await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
    }

    /// <summary>One renewal.</summary>
    public async Task RenewAsync(ClusterApi api, string nodeUid, CancellationToken cancellationToken)
    {
        var renewed = await api.MergePatchAsync(Path, new JsonObject { ["spec"] = new JsonObject { ["renewTime"] = NodeRegistration.ToMicroTimestamp(time.GetUtcNow()), ["holderIdentity"] = options.NodeName } }, cancellationToken);
        if (renewed is not null)
        {
            return;
        }

        var lease = new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject
            {
                ["name"] = options.NodeName,
                ["namespace"] = "kube-node-lease",
                // Owned by the Node, as kubelet's: deleting the Node removes its Lease.
                ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = options.NodeName, ["uid"] = nodeUid }),
            },
            ["spec"] = new JsonObject
            {
                ["holderIdentity"] = options.NodeName,
                ["leaseDurationSeconds"] = (int)options.LeaseDuration.TotalSeconds,
                ["renewTime"] = NodeRegistration.ToMicroTimestamp(time.GetUtcNow()),
            },
        };
        await api.CreateAsync("apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", lease, cancellationToken);
    }
}
