using EdgeCloud.Tunnel;

namespace EdgeCloud.Server.NodeProxy;

/// <summary>The container a pods/log or pods/exec request reaches, and the live tunnel session of its node.</summary>
internal sealed record PodStreamTarget(string Namespace, string Pod, string PodUid, string Container, string Node, TunnelSession Session);
