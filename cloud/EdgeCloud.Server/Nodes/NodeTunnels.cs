using System.Diagnostics.CodeAnalysis;
using EdgeCloud.Tunnel;

namespace EdgeCloud.Server.Nodes;

/// <summary>
/// The live tunnel sessions of joined agents, one per node of each cluster: where the cloud finds a node to open
/// streams into it (kubectl logs, exec, port-forward). A session's registry identity is "{cluster}/{node}".
/// </summary>
internal sealed class NodeTunnels
{
    /// <summary>The registry the tunnel endpoint registers sessions in.</summary>
    public TunnelSessionRegistry Registry { get; } = new();

    /// <summary>The registry identity of <paramref name="node"/> of <paramref name="cluster"/>.</summary>
    public static string IdentityOf(string cluster, string node) => cluster + "/" + node;

    /// <summary>The node a session registered under <see cref="IdentityOf"/> belongs to.</summary>
    public static NodeIdentity NodeOf(TunnelSession session)
    {
        var identity = session.Identity ?? throw new InvalidOperationException("the session has no identity");
        var slash = identity.IndexOf('/', StringComparison.Ordinal);
        return new NodeIdentity(identity[..slash], identity[(slash + 1)..]);
    }

    /// <summary>Closes the tunnel sessions of every agent of <paramref name="cluster"/> (the cluster is gone).</summary>
    public async Task CloseClusterAsync(string cluster)
    {
        foreach (var session in Registry.Snapshot())
        {
            if (NodeOf(session).Cluster == cluster)
            {
                await session.DisposeAsync();
            }
        }
    }

    /// <summary>The live session of <paramref name="node"/> of <paramref name="cluster"/>, if its agent is connected.</summary>
    public bool TryGetSession(string cluster, string node, [NotNullWhen(true)] out TunnelSession? session) =>
        Registry.TryGetSession(IdentityOf(cluster, node), out session);
}
