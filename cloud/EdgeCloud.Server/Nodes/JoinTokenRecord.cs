namespace EdgeCloud.Server.Nodes;

/// <summary>
/// What is stored for a join token, under the hash of its secret and again under its cluster's list: the cluster
/// it joins, its id (what the API lists, rotates and revokes; the secret itself is shown once, when issued), when and
/// by whom it was issued, and the hash (in the cluster's list, to find the secret's record on revoke).
/// </summary>
/// <param name="Cluster">The cluster an agent with this token joins.</param>
/// <param name="Id">Public id of the token, e.g. "jt4k2m9x7q1wzt".</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="CreatedBy">Who issued it ("edgecloud" for the server's own DIR/agent-token).</param>
/// <param name="Hash">SHA-256 of the secret (hex).</param>
internal sealed record JoinTokenRecord(string Cluster, string? Id = null, DateTimeOffset? CreatedAt = null, string? CreatedBy = null, string? Hash = null);
