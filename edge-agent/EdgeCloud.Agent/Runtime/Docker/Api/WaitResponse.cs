namespace EdgeCloud.Agent.Runtime.Docker.Api;

/// <summary>The answer of POST /containers/{id}/wait.</summary>
internal sealed record WaitResponse
{
    public int StatusCode { get; init; }
}
