namespace EdgeCloud.Server.Nodes;

/// <summary>What is stored for a join token (under the hash of its secret): the cluster it joins.</summary>
internal sealed record JoinTokenRecord(string Cluster);
