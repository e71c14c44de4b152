using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeCloud.Server.Security;

/// <summary>
/// The HTTPS certificate of the API: ECDSA P-256, signed by the cluster CA, valid one year, kept as
/// DIR/tls/serving.crt and serving.key. It is issued again when it nears expiry (30 days) or does not cover
/// every name clients use: the listen address (every interface address for a wildcard), loopback, localhost and
/// the host name.
/// </summary>
internal static class ServingCertificate
{
    /// <summary>Reissue when fewer days than this remain.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    /// <summary>The certificate (with its key) for <paramref name="listenHost"/>, reused when still good.</summary>
    public static X509Certificate2 LoadOrCreate(string tlsDirectory, ClusterCertificateAuthority ca, string listenHost, TimeProvider time)
    {
        var certPath = Path.Combine(tlsDirectory, "serving.crt");
        var keyPath = Path.Combine(tlsDirectory, "serving.key");
        var (dnsNames, addresses) = SubjectNames(listenHost);
        var now = time.GetUtcNow();
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            var existing = X509Certificate2.CreateFromPem(File.ReadAllText(certPath), File.ReadAllText(keyPath));
            if (existing.NotAfter.ToUniversalTime() - now.UtcDateTime > RenewBefore && Covers(existing, dnsNames, addresses) && existing.Issuer == ca.Certificate.Subject)
            {
                return existing;
            }

            existing.Dispose();
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=edgecloud", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca.Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }

        foreach (var address in addresses)
        {
            san.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(san.Build());
        var notAfter = now.AddYears(1) < ca.Certificate.NotAfter ? now.AddYears(1) : new DateTimeOffset(ca.Certificate.NotAfter.ToUniversalTime());
        using var signed = request.Create(ca.Certificate, now.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16));
        CertificateFiles.WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem(), secret: true);
        CertificateFiles.WriteAtomically(certPath, signed.ExportCertificatePem(), secret: false);
        return X509Certificate2.CreateFromPem(File.ReadAllText(certPath), File.ReadAllText(keyPath));
    }

    /// <summary>The DNS names and addresses a certificate for <paramref name="listenHost"/> must carry.</summary>
    public static (IReadOnlySet<string> DnsNames, IReadOnlySet<IPAddress> Addresses) SubjectNames(string listenHost)
    {
        var dnsNames = new SortedSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost", Dns.GetHostName() };
        var addresses = new HashSet<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        if (IPAddress.TryParse(listenHost, out var listen))
        {
            if (listen.Equals(IPAddress.Any) || listen.Equals(IPAddress.IPv6Any))
            {
                foreach (var unicast in NetworkInterface.GetAllNetworkInterfaces().SelectMany(static n => n.GetIPProperties().UnicastAddresses))
                {
                    if (!unicast.Address.IsIPv6LinkLocal)
                    {
                        addresses.Add(unicast.Address);
                    }
                }
            }
            else
            {
                addresses.Add(listen);
            }
        }
        else
        {
            dnsNames.Add(listenHost);
        }

        return (dnsNames, addresses);
    }

    private static bool Covers(X509Certificate2 certificate, IReadOnlySet<string> dnsNames, IReadOnlySet<IPAddress> addresses)
    {
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (extension is null)
        {
            return false;
        }

        var haveNames = extension.EnumerateDnsNames().ToHashSet(StringComparer.OrdinalIgnoreCase);
        var haveAddresses = extension.EnumerateIPAddresses().ToHashSet();
        return dnsNames.All(haveNames.Contains) && addresses.All(haveAddresses.Contains);
    }
}
