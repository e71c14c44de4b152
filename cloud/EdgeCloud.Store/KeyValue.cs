namespace EdgeCloud.Store;

/// <summary>One stored version of a key, as the store returns it.</summary>
public sealed record KeyValue
{
    /// <summary>The key, e.g. <c>/registry/pods/default/web-0</c>.</summary>
    public required string Key { get; init; }

    /// <summary>The stored bytes (the serialized object).</summary>
    public required ReadOnlyMemory<byte> Value { get; init; }

    /// <summary>The cluster revision at which this key was created (since its last deletion).</summary>
    public required long CreateRevision { get; init; }

    /// <summary>The cluster revision of the last write to this key; the value callers compare-and-swap on.</summary>
    public required long ModRevision { get; init; }

    /// <summary>When the key expires and is deleted by the store, if it was written with a TTL.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
