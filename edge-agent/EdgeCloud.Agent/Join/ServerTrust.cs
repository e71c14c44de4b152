using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EdgeCloud.Agent.Join;

/// <summary>
/// The cloud's CA as this agent trusts it. On first start the agent fetches /cacerts without verifying (it has
/// nothing to verify with yet), accepts it only when its SHA-256 equals the hash in the join token, and keeps it
/// in the data directory; every later connection verifies the server's certificate against that CA alone.
/// </summary>
internal sealed class ServerTrust
{
    private readonly X509Certificate2Collection _roots;

    private ServerTrust(X509Certificate2Collection roots) => _roots = roots;

    /// <summary>Loads the pinned CA, or fetches and pins it from one of <paramref name="servers"/>.</summary>
    public static async Task<ServerTrust> LoadOrPinAsync(string pinnedPath, JoinToken token, IReadOnlyList<Uri> servers, CancellationToken cancellationToken)
    {
        if (File.Exists(pinnedPath))
        {
            var pem = await File.ReadAllTextAsync(pinnedPath, cancellationToken);
            if (Hash(pem) == token.CaHash)
            {
                return FromPem(pem);
            }

            // The token names another CA (the cloud was re-created, or a new token was given): pin again.
        }

        var errors = new List<string>();
        foreach (var server in servers)
        {
            try
            {
                var pem = await FetchCaAsync(server, cancellationToken);
                if (Hash(pem) != token.CaHash)
                {
                    errors.Add($"{server}: its CA does not match the join token's hash (a different cloud, or someone in between)");
                    continue;
                }

                await File.WriteAllTextAsync(pinnedPath, pem, cancellationToken);
                return FromPem(pem);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or CryptographicException)
            {
                errors.Add($"{server}: {e.Message}");
            }
        }

        throw new ServerTrustException("cannot pin the cloud's CA: " + string.Join("; ", errors));
    }

    /// <summary>TLS validation against the pinned CA (host name checked as usual).</summary>
    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private static async Task<string> FetchCaAsync(Uri server, CancellationToken cancellationToken)
    {
        // Unverified on purpose: what comes back is checked against the token's hash before it is trusted.
        using var handler = new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true } };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15) };
        return await client.GetStringAsync(new Uri(server, "/cacerts"), cancellationToken);
    }

    private static ServerTrust FromPem(string pem)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(pem);
        if (roots.Count == 0)
        {
            throw new ServerTrustException("the cloud's CA bundle holds no certificate");
        }

        return new ServerTrust(roots);
    }

    private static string Hash(string pem) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(pem)));
}
