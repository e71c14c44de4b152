using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeCloud.Server.Security;
using EdgeCloud.Store;

namespace EdgeCloud.Server.Nodes;

/// <summary>
/// Agent join tokens, K3s style: <c>K10&lt;sha256 of the CA bundle, hex&gt;::&lt;secret&gt;</c>. The CA hash lets a
/// new agent pin the cloud's CA on first contact (it fetches /cacerts and compares); the secret names the cluster
/// the agent joins. Only the secret's SHA-256 is stored (it is 256 random bits: nothing to brute-force), in the
/// system cluster under /join-tokens/, apart from API bearer tokens: a join token grants no API access, only
/// the tunnel handshake. Each cluster lists its tokens under <c>/cluster-join-tokens/{cluster}/{id}</c>, so they can be
/// listed, rotated and revoked; a revoked token refuses new joins, while nodes already joined keep their node
/// passwords.
/// </summary>
internal sealed class JoinTokens(IRevisionedStore store, TimeProvider time)
{
    private const string Prefix = "/join-tokens/";
    private const string ClusterPrefix = "/cluster-join-tokens/";
    private const string Version = "K10";
    private const string Separator = "::";

    /// <summary>Issues a new join token for <paramref name="cluster"/> whose CA bundle is <paramref name="caPem"/>.</summary>
    public async Task<string> IssueAsync(string cluster, string caPem, CancellationToken cancellationToken, string createdBy = "edgecloud") =>
        (await IssueWithRecordAsync(cluster, caPem, createdBy, cancellationToken)).Token;

    /// <summary>Issues a new join token and returns it with its listed record.</summary>
    public async Task<(string Token, JoinTokenRecord Record)> IssueWithRecordAsync(string cluster, string caPem, string createdBy, CancellationToken cancellationToken)
    {
        var secret = "ecj_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var hash = Hash(secret);
        var record = new JoinTokenRecord(cluster, Tenancy.TenancyIds.New("jt"), time.GetUtcNow(), createdBy, hash);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(record, ServerJsonContext.Default.JoinTokenRecord);
        // The listing first: a token that exists is always listed, so it can always be revoked.
        await store.CreateAsync(BearerTokens.SystemCluster, ClusterPrefix + cluster + "/" + record.Id, bytes, null, cancellationToken);
        var written = await store.CreateAsync(BearerTokens.SystemCluster, Prefix + hash, bytes, null, cancellationToken);
        if (written.Status != WriteStatus.Applied)
        {
            throw new InvalidOperationException($"storing a new join token returned {written.Status}");
        }

        return (Format(caPem, secret), record);
    }

    /// <summary>The join tokens of <paramref name="cluster"/>, by id.</summary>
    public async Task<IReadOnlyList<JoinTokenRecord>> ListAsync(string cluster, CancellationToken cancellationToken)
    {
        var page = await store.ListAsync(BearerTokens.SystemCluster, new ListRequest { Prefix = ClusterPrefix + cluster + "/" }, cancellationToken);
        return [.. page.Items.Select(item => JsonSerializer.Deserialize(item.Value.Span, ServerJsonContext.Default.JoinTokenRecord)).OfType<JoinTokenRecord>()];
    }

    /// <summary>Revokes the token <paramref name="id"/> of <paramref name="cluster"/>: new joins with it are refused. False when there is no such token.</summary>
    public async Task<bool> RevokeAsync(string cluster, string id, CancellationToken cancellationToken)
    {
        if (!Tenancy.TenancyIds.IsWellFormed(id, "jt"))
        {
            return false;
        }

        var listed = await store.GetAsync(BearerTokens.SystemCluster, ClusterPrefix + cluster + "/" + id, cancellationToken);
        if (listed.Item is not { } item || JsonSerializer.Deserialize(item.Value.Span, ServerJsonContext.Default.JoinTokenRecord) is not { Hash: { } hash })
        {
            return false;
        }

        // The secret's record first: from then on the token joins nothing, even if the listing's delete fails.
        await store.DeleteAsync(BearerTokens.SystemCluster, Prefix + hash, 0, cancellationToken);
        await store.DeleteAsync(BearerTokens.SystemCluster, item.Key, 0, cancellationToken);
        return true;
    }

    /// <summary>Revokes every join token of <paramref name="cluster"/> (it is being deleted).</summary>
    public async Task RevokeAllAsync(string cluster, CancellationToken cancellationToken)
    {
        foreach (var token in await ListAsync(cluster, cancellationToken))
        {
            await RevokeAsync(cluster, token.Id!, cancellationToken);
        }
    }

    /// <summary>The cluster <paramref name="token"/> joins, or null when it is malformed or unknown.</summary>
    public async Task<string?> FindClusterAsync(string token, CancellationToken cancellationToken)
    {
        if (Parse(token) is not { } parsed)
        {
            return null;
        }

        var got = await store.GetAsync(BearerTokens.SystemCluster, Prefix + Hash(parsed.Secret), cancellationToken);
        return got.Item is { } item ? JsonSerializer.Deserialize(item.Value.Span, ServerJsonContext.Default.JoinTokenRecord)?.Cluster : null;
    }

    /// <summary>The full token for <paramref name="secret"/> under the CA bundle <paramref name="caPem"/>.</summary>
    public static string Format(string caPem, string secret) => Version + CaHash(caPem) + Separator + secret;

    /// <summary>The hex SHA-256 of the CA bundle exactly as /cacerts serves it.</summary>
    public static string CaHash(string caPem) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(caPem)));

    /// <summary>Splits a token into its CA hash and secret; null when it does not have the K10&lt;hash&gt;::&lt;secret&gt; shape.</summary>
    public static (string CaHash, string Secret)? Parse(string token)
    {
        if (token.Length > 512 || !token.StartsWith(Version, StringComparison.Ordinal))
        {
            return null;
        }

        var separator = token.IndexOf(Separator, StringComparison.Ordinal);
        if (separator < 0)
        {
            return null;
        }

        var hash = token[Version.Length..separator];
        var secret = token[(separator + Separator.Length)..];
        return hash.Length == 64 && secret.Length >= 16 ? (hash, secret) : null;
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
