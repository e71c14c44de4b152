using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EdgeCloud.Store;

namespace EdgeCloud.Tenancy;

/// <summary>
/// Typed JSON records in the store's reserved cluster <see cref="SystemCluster"/>, where EdgeCloud keeps its own
/// state (tokens, accounts, tenants, the cluster catalog) apart from every Kubernetes cluster's keys.
/// </summary>
public sealed class SystemRecords(IRevisionedStore store)
{
    /// <summary>The store cluster holding EdgeCloud's own records; cluster ids are DNS labels, and this one is reserved.</summary>
    public const string SystemCluster = "edgecloud-system";

    /// <summary>The record at <paramref name="key"/> with its mod revision, or null.</summary>
    public async Task<(T Value, long ModRevision)?> GetAsync<T>(string key, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var got = await store.GetAsync(SystemCluster, key, cancellationToken);
        return got.Item is { } item && JsonSerializer.Deserialize(item.Value.Span, type) is { } value ? (value, item.ModRevision) : null;
    }

    /// <summary>Creates the record; false when the key already exists (nothing is written then).</summary>
    public async Task<bool> CreateAsync<T>(string key, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken, TimeSpan? ttl = null)
    {
        var written = await store.CreateAsync(SystemCluster, key, JsonSerializer.SerializeToUtf8Bytes(value, type), ttl, cancellationToken);
        return written.Status == WriteStatus.Applied;
    }

    /// <summary>Replaces the record if it is still at <paramref name="modRevision"/>; false on a conflict or when it is gone.</summary>
    public async Task<bool> UpdateAsync<T>(string key, T value, JsonTypeInfo<T> type, long modRevision, CancellationToken cancellationToken)
    {
        var written = await store.UpdateAsync(SystemCluster, key, JsonSerializer.SerializeToUtf8Bytes(value, type), modRevision, null, cancellationToken);
        return written.Status == WriteStatus.Applied;
    }

    /// <summary>Deletes the key whatever its revision; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var written = await store.DeleteAsync(SystemCluster, key, 0, cancellationToken);
        return written.Status == WriteStatus.Applied;
    }

    /// <summary>How many records there are under <paramref name="prefix"/> (one count, no values read).</summary>
    public Task<long> CountAsync(string prefix, CancellationToken cancellationToken) => store.CountAsync(SystemCluster, prefix, cancellationToken);

    /// <summary>Every record under <paramref name="prefix"/>, in key order, read page by page at one revision.</summary>
    public async Task<IReadOnlyList<(string Key, T Value)>> ListAsync<T>(string prefix, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var found = new List<(string, T)>();
        await foreach (var page in store.PagesAsync(SystemCluster, prefix, 500, cancellationToken))
        {
            foreach (var item in page.Items)
            {
                if (JsonSerializer.Deserialize(item.Value.Span, type) is { } value)
                {
                    found.Add((item.Key, value));
                }
            }
        }

        return found;
    }
}
