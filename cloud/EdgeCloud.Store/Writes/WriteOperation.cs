namespace EdgeCloud.Store.Writes;

/// <summary>One validated mutation waiting to be applied.</summary>
internal sealed record WriteOperation
{
    public required WriteKind Kind { get; init; }

    public required string ClusterId { get; init; }

    public required string Key { get; init; }

    /// <summary>The new value; empty for a delete.</summary>
    public required ReadOnlyMemory<byte> Value { get; init; }

    /// <summary>Mod revision the key must have for an update or delete; 0 for no check.</summary>
    public long ExpectedModRevision { get; init; }

    /// <summary>Expiry time in Unix milliseconds, or null for none.</summary>
    public long? ExpiresAtMs { get; init; }

    /// <summary>The time of the request in Unix milliseconds, recorded with the history entry.</summary>
    public required long NowMs { get; init; }
}
