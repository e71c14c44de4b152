namespace EdgeCloud.Agent.Runtime.Docker.Api;

/// <summary>One element of GET /containers/json.</summary>
internal sealed record ContainerSummaryResponse
{
    public string Id { get; init; } = "";

    public Dictionary<string, string>? Labels { get; init; }
}
