using System.Security.Cryptography.X509Certificates;

namespace EdgeCloud.Server.Security;

/// <summary>
/// HTTPS clients that trust exactly one cluster CA (as kubectl does with certificate-authority-data), not the
/// machine's trust store: for EdgeCloud's own clients, tests and load generators.
/// </summary>
public static class CaTrust
{
    /// <summary>A handler whose server certificates must chain to <paramref name="ca"/>.</summary>
    public static SocketsHttpHandler CreateHandler(X509Certificate2 ca) => new()
    {
        SslOptions =
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                // Name mismatches stay errors; only the chain is judged against the CA instead of the system store.
                if ((errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) != 0 || certificate is not X509Certificate2 served)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(served);
            },
        },
    };
}
