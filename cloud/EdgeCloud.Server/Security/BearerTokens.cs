using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeCloud.Store;

namespace EdgeCloud.Server.Security;

/// <summary>
/// Bearer tokens, stored only as SHA-256 hashes in the system cluster of the store (tokens are 256 random bits,
/// so a fast hash is enough: there is nothing to brute-force). A token names one cluster; the API refuses it on
/// any other cluster's path. Found tokens are remembered for <see cref="CacheFor"/>, as kube-apiserver caches
/// token authentication, so that a request costs no store read; a revoked token therefore stops working within
/// that time. Each token is also listed under its cluster (<c>/cluster-tokens/{cluster}/{hash}</c>), so deleting
/// a cluster revokes all of its tokens.
/// </summary>
internal sealed class BearerTokens(IRevisionedStore store, TimeProvider time)
{
    /// <summary>How long a found token's identity is reused without reading the store again.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private const int MaxCachedTokens = 10_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (TokenIdentity Identity, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>The store cluster holding EdgeCloud's own records; not a Kubernetes cluster (ids are DNS labels, this one is reserved).</summary>
    public const string SystemCluster = Tenancy.SystemRecords.SystemCluster;

    private const string Prefix = "/tokens/";
    private const string ClusterPrefix = "/cluster-tokens/";

    /// <summary>Creates the system cluster if needed.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => store.CreateClusterAsync(SystemCluster, cancellationToken);

    /// <summary>Issues a new token for <paramref name="identity"/>, valid for <paramref name="lifetime"/> (or until deleted), and returns it; only its hash is stored.</summary>
    public async Task<string> IssueAsync(TokenIdentity identity, CancellationToken cancellationToken, TimeSpan? lifetime = null)
    {
        var token = "ec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var record = JsonSerializer.SerializeToUtf8Bytes(identity, ServerJsonContext.Default.TokenIdentity);
        // A token with a lifetime is a key with a TTL: the store's expiry sweeper deletes it when it runs out.
        var written = await store.CreateAsync(SystemCluster, Prefix + Hash(token), record, lifetime, cancellationToken);
        if (written.Status != WriteStatus.Applied)
        {
            throw new InvalidOperationException($"storing a new token returned {written.Status}");
        }

        await store.CreateAsync(SystemCluster, ClusterPrefix + identity.Cluster + "/" + Hash(token), ReadOnlyMemory<byte>.Empty, lifetime, cancellationToken);
        return token;
    }

    /// <summary>
    /// Revokes every token of <paramref name="cluster"/> (it is being deleted). This replica forgets them at once;
    /// others within <see cref="CacheFor"/>, and the cluster's API answers nothing meanwhile since its state is gone.
    /// </summary>
    public async Task RevokeClusterAsync(string cluster, CancellationToken cancellationToken)
    {
        var prefix = ClusterPrefix + cluster + "/";
        while (true)
        {
            var page = await store.ListAsync(SystemCluster, new ListRequest { Prefix = prefix, Limit = 500 }, cancellationToken);
            foreach (var item in page.Items)
            {
                await store.DeleteAsync(SystemCluster, Prefix + item.Key[prefix.Length..], 0, cancellationToken);
                await store.DeleteAsync(SystemCluster, item.Key, 0, cancellationToken);
            }

            if (page.Continue is null)
            {
                break;
            }
        }

        foreach (var (hash, cached) in _cache)
        {
            if (cached.Identity.Cluster == cluster)
            {
                _cache.TryRemove(hash, out _);
            }
        }
    }

    /// <summary>The identity of <paramref name="token"/>, or null when it is unknown.</summary>
    public async Task<TokenIdentity?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length is < 8 or > 512)
        {
            return null;
        }

        var hash = Hash(token);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Identity;
        }

        var got = await store.GetAsync(SystemCluster, Prefix + hash, cancellationToken);
        if (got.Item is not { } item)
        {
            return null;
        }

        var identity = JsonSerializer.Deserialize(item.Value.Span, ServerJsonContext.Default.TokenIdentity);
        if (identity is not null)
        {
            if (_cache.Count >= MaxCachedTokens)
            {
                _cache.Clear();
            }

            _cache[hash] = (identity, now + CacheFor);
        }

        return identity;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
