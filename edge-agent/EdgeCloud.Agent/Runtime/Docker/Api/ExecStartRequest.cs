namespace EdgeCloud.Agent.Runtime.Docker.Api;

/// <summary>Body of POST /exec/{id}/start.</summary>
internal sealed record ExecStartRequest
{
    public bool Detach { get; init; }

    public bool Tty { get; init; }
}
