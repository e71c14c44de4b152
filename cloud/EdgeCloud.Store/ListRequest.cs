namespace EdgeCloud.Store;

/// <summary>A request for one page of the keys under a prefix.</summary>
public sealed record ListRequest
{
    /// <summary>Key prefix to list, starting with '/'; usually ends with '/' (e.g. <c>/registry/pods/default/</c>).</summary>
    public required string Prefix { get; init; }

    /// <summary>Maximum number of items in the page; 0 means no limit.</summary>
    public int Limit { get; init; }

    /// <summary>
    /// The revision to read at; 0 reads the latest. Ignored when <see cref="Continue"/> is set: a continuation
    /// always reads at the revision of the first page, so that all pages form one consistent snapshot.
    /// </summary>
    public long Revision { get; init; }

    /// <summary>The <see cref="ListResult.Continue"/> token of the previous page, or <see langword="null"/> for the first page.</summary>
    public string? Continue { get; init; }
}
