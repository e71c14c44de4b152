namespace EdgeCloud.Agent.Runtime.Docker.Api;

/// <summary>The parts of GET /images/{name}/json the runtime reads.</summary>
internal sealed record ImageInspectResponse
{
    public string Id { get; init; } = "";
}
