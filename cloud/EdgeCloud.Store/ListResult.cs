namespace EdgeCloud.Store;

/// <summary>One page of a list.</summary>
public sealed record ListResult
{
    /// <summary>The items of this page, in key order, as they were at <see cref="Revision"/>.</summary>
    public required IReadOnlyList<KeyValue> Items { get; init; }

    /// <summary>The revision every page of this list is read at.</summary>
    public required long Revision { get; init; }

    /// <summary>A token for the next page, or <see langword="null"/> when this is the last page.</summary>
    public string? Continue { get; init; }
}
