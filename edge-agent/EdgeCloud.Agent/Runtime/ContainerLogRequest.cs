namespace EdgeCloud.Agent.Runtime;

/// <summary>The options of kubectl logs that reach a runtime (pods/log: follow, tailLines, sinceSeconds/sinceTime, timestamps, limitBytes).</summary>
internal sealed record ContainerLogRequest
{
    /// <summary>Keep streaming new output until the container exits or the caller cancels.</summary>
    public bool Follow { get; init; }

    /// <summary>Only the last N lines (null: all).</summary>
    public int? TailLines { get; init; }

    /// <summary>Only output written at or after this time (null: all).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Prefix each line with its RFC 3339 timestamp and a space, as kubectl logs --timestamps shows.</summary>
    public bool Timestamps { get; init; }

    /// <summary>Stop after this many bytes (null: no limit).</summary>
    public long? LimitBytes { get; init; }
}
