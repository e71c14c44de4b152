using System.Runtime.CompilerServices;

namespace EdgeCloud.Store;

/// <summary>Reading every key under a prefix page by page, as one snapshot.</summary>
public static class StorePaging
{
    /// <summary>
    /// The pages of <paramref name="prefix"/> in key order, each of at most <paramref name="pageSize"/> items
    /// (0: everything in one page). Every page reads the first page's revision, so together they are one
    /// consistent snapshot however the keys change between pages.
    /// </summary>
    public static IAsyncEnumerable<ListResult> PagesAsync(this IRevisionedStore store, string clusterId, string prefix, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pageSize);
        return ReadPagesAsync(store, clusterId, prefix, pageSize, cancellationToken);
    }

    private static async IAsyncEnumerable<ListResult> ReadPagesAsync(
        IRevisionedStore store, string clusterId, string prefix, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? next = null;
        do
        {
            var page = await store.ListAsync(clusterId, new ListRequest { Prefix = prefix, Limit = pageSize, Continue = next }, cancellationToken);
            yield return page;
            next = page.Continue;
        }
        while (next is not null);
    }
}
