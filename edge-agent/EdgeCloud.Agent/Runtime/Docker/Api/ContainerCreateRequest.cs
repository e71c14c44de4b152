namespace EdgeCloud.Agent.Runtime.Docker.Api;

/// <summary>Body of POST /containers/create (Docker Engine API ContainerConfig plus HostConfig).</summary>
internal sealed record ContainerCreateRequest
{
    public required string Image { get; init; }

    /// <summary>Null keeps the image's ENTRYPOINT; Kubernetes "command" replaces it.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Null keeps the image's CMD (unless an Entrypoint is given, which drops it); Kubernetes "args" replace it.</summary>
    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string> Env { get; init; } = [];

    public string? WorkingDir { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public bool Tty { get; init; }

    public required HostConfigRequest HostConfig { get; init; }
}
