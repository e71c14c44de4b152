namespace EdgeCloud.Server.Security;

/// <summary>Who a bearer token stands for, and the one cluster it is good for.</summary>
/// <param name="Cluster">The cluster the token is bound to.</param>
/// <param name="User">User name, e.g. "admin".</param>
/// <param name="Groups">Groups, e.g. "system:masters".</param>
internal sealed record TokenIdentity(string Cluster, string User, IReadOnlyList<string> Groups);
