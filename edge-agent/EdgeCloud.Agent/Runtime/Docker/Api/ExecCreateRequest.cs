namespace EdgeCloud.Agent.Runtime.Docker.Api;

/// <summary>Body of POST /containers/{id}/exec.</summary>
internal sealed record ExecCreateRequest
{
    public required IReadOnlyList<string> Cmd { get; init; }

    public bool AttachStdin { get; init; }

    public bool AttachStdout { get; init; }

    public bool AttachStderr { get; init; }

    public bool Tty { get; init; }
}
