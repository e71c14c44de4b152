using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeCloud.Store;

namespace EdgeCloud.Server.Security;

/// <summary>
/// Bearer tokens, stored only as SHA-256 hashes in the system cluster of the store (tokens are 256 random bits,
/// so a fast hash is enough: there is nothing to brute-force). A token names one cluster; the API refuses it on
/// any other cluster's path.
/// </summary>
internal sealed class BearerTokens(IRevisionedStore store)
{
    /// <summary>The store cluster holding EdgeCloud's own records; not a Kubernetes cluster (ids are DNS labels, this one is reserved).</summary>
    public const string SystemCluster = "edgecloud-system";

    private const string Prefix = "/tokens/";

    /// <summary>Creates the system cluster if needed.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => store.CreateClusterAsync(SystemCluster, cancellationToken);

    /// <summary>Issues a new token for <paramref name="identity"/> and returns it; only its hash is stored.</summary>
    public async Task<string> IssueAsync(TokenIdentity identity, CancellationToken cancellationToken)
    {
        var token = "ec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var record = JsonSerializer.SerializeToUtf8Bytes(identity, ServerJsonContext.Default.TokenIdentity);
        var written = await store.CreateAsync(SystemCluster, Prefix + Hash(token), record, ttl: null, cancellationToken);
        if (written.Status != WriteStatus.Applied)
        {
            throw new InvalidOperationException($"storing a new token returned {written.Status}");
        }

        return token;
    }

    /// <summary>The identity of <paramref name="token"/>, or null when it is unknown.</summary>
    public async Task<TokenIdentity?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length is < 8 or > 512)
        {
            return null;
        }

        var got = await store.GetAsync(SystemCluster, Prefix + Hash(token), cancellationToken);
        return got.Item is { } item ? JsonSerializer.Deserialize(item.Value.Span, ServerJsonContext.Default.TokenIdentity) : null;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
