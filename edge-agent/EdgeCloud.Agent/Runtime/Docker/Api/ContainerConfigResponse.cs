namespace EdgeCloud.Agent.Runtime.Docker.Api;

/// <summary>Config of GET /containers/{id}/json.</summary>
internal sealed record ContainerConfigResponse
{
    /// <summary>The image reference the container was created from.</summary>
    public string? Image { get; init; }

    public Dictionary<string, string>? Labels { get; init; }

    public bool Tty { get; init; }
}
