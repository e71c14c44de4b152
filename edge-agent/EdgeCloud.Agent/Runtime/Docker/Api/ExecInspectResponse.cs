namespace EdgeCloud.Agent.Runtime.Docker.Api;

/// <summary>The parts of GET /exec/{id}/json the runtime reads.</summary>
internal sealed record ExecInspectResponse
{
    public bool Running { get; init; }

    /// <summary>Null while it runs.</summary>
    public int? ExitCode { get; init; }
}
