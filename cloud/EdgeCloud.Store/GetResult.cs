namespace EdgeCloud.Store;

/// <summary>The answer to a get: the key's latest version (or none) and the cluster revision it was read at.</summary>
public sealed record GetResult
{
    /// <summary>The latest version of the key, or <see langword="null"/> when the key does not exist.</summary>
    public KeyValue? Item { get; init; }

    /// <summary>The cluster's revision when the key was read.</summary>
    public required long Revision { get; init; }
}
