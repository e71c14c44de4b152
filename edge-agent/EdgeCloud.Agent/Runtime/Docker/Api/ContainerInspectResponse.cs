namespace EdgeCloud.Agent.Runtime.Docker.Api;

/// <summary>The parts of GET /containers/{id}/json the runtime reads.</summary>
internal sealed record ContainerInspectResponse
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    /// <summary>The image id (sha256:...).</summary>
    public string? Image { get; init; }

    public ContainerStateResponse? State { get; init; }

    public ContainerConfigResponse? Config { get; init; }
}
