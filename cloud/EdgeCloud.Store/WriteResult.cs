namespace EdgeCloud.Store;

/// <summary>The outcome of a create, update or delete.</summary>
public sealed record WriteResult
{
    /// <summary>Whether the write was applied, and if not, why.</summary>
    public required WriteStatus Status { get; init; }

    /// <summary>
    /// After a create or update: the new version. After a delete: the version that was deleted.
    /// After <see cref="WriteStatus.AlreadyExists"/> or <see cref="WriteStatus.Conflict"/>: the version in the store now.
    /// After <see cref="WriteStatus.NotFound"/>: <see langword="null"/>.
    /// </summary>
    public KeyValue? Item { get; init; }

    /// <summary>The revision of the write when applied; otherwise the cluster's revision when the write was refused.</summary>
    public required long Revision { get; init; }

    /// <summary>True when the write was applied.</summary>
    public bool Succeeded => Status == WriteStatus.Applied;
}
