using System.Text;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Kinds;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Store;

namespace EdgeCloud.Controllers.Leadership;

/// <summary>
/// Which replica runs a cluster's controllers. Each cluster has a Lease, kube-system/edgecloud-controller-manager,
/// whose holderIdentity names the replica that leads it (kubectl shows it). A holder is alive while its liveness
/// record (a key with a TTL in the reserved cluster, renewed by one timer per process) exists: renewal costs one
/// write per replica, not one per cluster, so thousands of idle clusters cost nothing. When a replica's record
/// expires, the others take its clusters over by compare-and-swap on each Lease.
/// </summary>
public sealed class ClusterLeadership(ResourceStore objects, TimeProvider time, string identity, string systemCluster)
{
    /// <summary>The name of each cluster's leader Lease in kube-system.</summary>
    public const string LeaseName = "edgecloud-controller-manager";

    /// <summary>Where liveness records live in the reserved cluster.</summary>
    public const string ReplicaPrefix = "/controller-replicas/";

    /// <summary>This replica's identity.</summary>
    public string Identity => identity;

    /// <summary>The reserved cluster holding liveness records.</summary>
    public string SystemCluster => systemCluster;

    /// <summary>Writes (or refreshes) this replica's liveness record.</summary>
    public async Task RenewAsync(TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var key = ReplicaPrefix + identity;
        var value = Encoding.UTF8.GetBytes(ResourceStore.Timestamp(time.GetUtcNow()));
        var written = await objects.Store.UpdateAsync(systemCluster, key, value, 0, lifetime, cancellationToken);
        if (written.Status == WriteStatus.NotFound)
        {
            await objects.Store.CreateAsync(systemCluster, key, value, lifetime, cancellationToken);
        }
    }

    /// <summary>Removes this replica's record, so that others take over at once (graceful shutdown).</summary>
    public async Task ResignAsync(CancellationToken cancellationToken) =>
        await objects.Store.DeleteAsync(systemCluster, ReplicaPrefix + identity, 0, cancellationToken);

    /// <summary>True when this replica leads <paramref name="cluster"/> now (taking the Lease over if its holder is dead).</summary>
    public async Task<bool> TryAcquireAsync(string cluster, CancellationToken cancellationToken)
    {
        var kind = LeaseKind.Definition;
        while (true)
        {
            var lease = await objects.TryGetAsync(cluster, kind, "kube-system", LeaseName, cancellationToken);
            if (lease is null)
            {
                try
                {
                    await objects.CreateAsync(cluster, kind, "kube-system", NewLease(transitions: 0), dryRun: false, cancellationToken);
                    return true;
                }
                catch (KubeApiException taken) when (taken.Code == 409)
                {
                    continue;
                }
            }

            var holder = (lease["spec"] as JsonObject)?.GetString("holderIdentity");
            if (holder == identity)
            {
                return true;
            }

            if (holder is not null && (await objects.Store.GetAsync(systemCluster, ReplicaPrefix + holder, cancellationToken)).Item is not null)
            {
                return false;
            }

            var transitions = (lease["spec"] as JsonObject)?["leaseTransitions"] is JsonValue t && t.TryGetValue<int>(out var n) ? n : 0;
            var expected = long.Parse(lease.Metadata().GetString("resourceVersion")!, System.Globalization.CultureInfo.InvariantCulture);
            var replaced = lease.DeepClone().AsObject();
            replaced["spec"] = NewLease(transitions + 1)["spec"]!.DeepClone();
            var written = await objects.Store.UpdateAsync(cluster, ObjectKeys.Key(kind, "kube-system", LeaseName), ObjectJson.ToStored(replaced), expected, null, cancellationToken);
            if (written.Status == WriteStatus.Applied)
            {
                return true;
            }
        }
    }

    private JsonObject NewLease(int transitions) => new()
    {
        ["apiVersion"] = "coordination.k8s.io/v1",
        ["kind"] = "Lease",
        ["metadata"] = new JsonObject { ["name"] = LeaseName, ["namespace"] = "kube-system" },
        ["spec"] = new JsonObject
        {
            ["holderIdentity"] = identity,
            ["acquireTime"] = MicroTime(),
            ["renewTime"] = MicroTime(),
            ["leaseTransitions"] = transitions,
        },
    };

    private string MicroTime() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
