namespace EdgeCloud.Agent.Join;

/// <summary>The cloud's CA could not be pinned or does not match the join token.</summary>
internal sealed class ServerTrustException(string message) : Exception(message);
