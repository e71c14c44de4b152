using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeCloud.Server.Security;

/// <summary>
/// The server's certificate authority: ECDSA P-256, self-signed, valid ten years, kept as DIR/tls/ca.crt and
/// ca.key. Clients trust it through the kubeconfig (certificate-authority-data) and, later, the agent join token
/// (which carries the SHA-256 of its DER, as k3s's K10 tokens do).
/// </summary>
internal sealed class ClusterCertificateAuthority
{
    private ClusterCertificateAuthority(X509Certificate2 certificate)
    {
        Certificate = certificate;
    }

    /// <summary>The CA certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate in PEM.</summary>
    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>SHA-256 of the CA certificate's DER, lowercase hex.</summary>
    public string Sha256Hex => Convert.ToHexStringLower(SHA256.HashData(Certificate.RawData));

    /// <summary>Loads the CA of <paramref name="tlsDirectory"/>, creating it on first start.</summary>
    public static ClusterCertificateAuthority LoadOrCreate(string tlsDirectory, TimeProvider time)
    {
        var certPath = Path.Combine(tlsDirectory, "ca.crt");
        var keyPath = Path.Combine(tlsDirectory, "ca.key");
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            return new ClusterCertificateAuthority(X509Certificate2.CreateFromPem(File.ReadAllText(certPath), File.ReadAllText(keyPath)));
        }

        CertificateFiles.EnsurePrivateDirectory(tlsDirectory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = time.GetUtcNow();
        var request = new CertificateRequest($"CN=edgecloud-ca@{now.ToUnixTimeSeconds()}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 1, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        CertificateFiles.WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem(), secret: true);
        CertificateFiles.WriteAtomically(certPath, created.ExportCertificatePem(), secret: false);
        return new ClusterCertificateAuthority(X509Certificate2.CreateFromPem(File.ReadAllText(certPath), File.ReadAllText(keyPath)));
    }
}
