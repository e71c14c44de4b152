namespace EdgeCloud.Store;

/// <summary>One change in a cluster's history.</summary>
public sealed record WatchEvent
{
    /// <summary>Created, updated or deleted.</summary>
    public required WatchEventType Type { get; init; }

    /// <summary>The key that changed.</summary>
    public required string Key { get; init; }

    /// <summary>The revision of this change: the new mod revision for a create or update, the deletion revision for a delete.</summary>
    public required long Revision { get; init; }

    /// <summary>The create revision of the version written (create, update) or of the version deleted (delete).</summary>
    public required long CreateRevision { get; init; }

    /// <summary>The new value; empty for a delete.</summary>
    public required ReadOnlyMemory<byte> Value { get; init; }

    /// <summary>The value before this change (update and delete); empty for a create.</summary>
    public required ReadOnlyMemory<byte> PrevValue { get; init; }

    /// <summary>The mod revision before this change (update and delete); 0 for a create.</summary>
    public required long PrevModRevision { get; init; }
}
