using EdgeCloud.Server.Security;

namespace EdgeCloud.Server.Nodes;

/// <summary>
/// The node a tunnel session (and every API connection over it) belongs to: set on each connection of the
/// agent's "api" streams, where it stands in for a bearer token (kubelet's system:node:&lt;name&gt; identity).
/// </summary>
internal sealed record NodeIdentity(string Cluster, string Node)
{
    /// <summary>The group kubelets authenticate in.</summary>
    public const string NodesGroup = "system:nodes";

    /// <summary>The user name of a node, as kube-apiserver's Node authorizer expects it.</summary>
    public string UserName => "system:node:" + Node;

    /// <summary>The request identity of this node's API calls.</summary>
    public TokenIdentity ToTokenIdentity() => new(Cluster, UserName, [NodesGroup]);
}
