namespace EdgeCloud.Tunnel.Node;

/// <summary>The pods/log parameters the agent applies (PodLogOptions of the Kubernetes API).</summary>
public sealed record NodeLogOptions
{
    /// <summary>Keep streaming until the container exits or the caller goes away.</summary>
    public bool Follow { get; init; }

    /// <summary>Only the last N lines; null for all.</summary>
    public long? TailLines { get; init; }

    /// <summary>Only lines written in the last N seconds; null for no bound. At most one of this and <see cref="SinceTime"/>.</summary>
    public long? SinceSeconds { get; init; }

    /// <summary>Only lines written at or after this time; null for no bound.</summary>
    public DateTimeOffset? SinceTime { get; init; }

    /// <summary>Prefix each line with its RFC 3339 timestamp.</summary>
    public bool Timestamps { get; init; }

    /// <summary>Stop after this many bytes; null for no limit.</summary>
    public long? LimitBytes { get; init; }

    /// <summary>The previous (terminated) instance of the container instead of the current one.</summary>
    public bool Previous { get; init; }
}
