using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EdgeCloud.Server.Security;

/// <summary>
/// The certificate authority of an edgecloud host: it signs the serving certificate (and later the agents'
/// certificates), and clients trust the host by trusting it. Kept as <c>tls/ca.crt</c> and <c>tls/ca.key</c>
/// (PEM) under the data directory, like k3s's <c>server/tls/server-ca.crt</c>.
/// </summary>
public sealed class ClusterCertificateAuthority : IDisposable
{
    /// <summary>Name of the directory under the data directory that holds certificates and keys.</summary>
    public const string TlsDirectoryName = "tls";

    /// <summary>File name of the CA certificate (PEM) in the TLS directory.</summary>
    public const string CertificateFileName = "ca.crt";

    /// <summary>File name of the CA private key (PEM) in the TLS directory.</summary>
    public const string KeyFileName = "ca.key";

    /// <summary>How long a new CA is valid: 10 years, as k3s's and kubeadm's self-signed CAs are.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(3650);

    /// <summary>
    /// How far back a new certificate's validity starts. Edge devices' clocks drift, and a certificate that a
    /// slow clock sees as "not yet valid" fails every handshake.
    /// </summary>
    internal static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    private ClusterCertificateAuthority(X509Certificate2 certificate, string certificatePem, string certificatePath, bool created)
    {
        Certificate = certificate;
        CertificatePem = certificatePem;
        CertificatePath = certificatePath;
        Created = created;
        CertificateHash = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
    }

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate as PEM, what kubeconfig's <c>certificate-authority-data</c> carries (base64 of it).</summary>
    public string CertificatePem { get; }

    /// <summary>
    /// Lower-case hex SHA-256 of the CA certificate's DER encoding. A join token carries it so an agent can pin
    /// the CA before trusting anything the host says, as k3s's <c>K10&lt;hash&gt;::</c> tokens do.
    /// </summary>
    public string CertificateHash { get; }

    /// <summary>Full path of <c>ca.crt</c>.</summary>
    public string CertificatePath { get; }

    /// <summary>True when this call created the CA; false when it loaded an existing one.</summary>
    public bool Created { get; }

    /// <summary>
    /// Loads the CA from <c><paramref name="dataDirectory"/>/tls/</c>, or creates it there if it does not exist.
    /// </summary>
    /// <param name="dataDirectory">The host's data directory; created (mode 0700) if missing.</param>
    /// <param name="timeProvider">Clock for the new CA's validity and its name.</param>
    /// <param name="cancellationToken">Cancels file I/O.</param>
    /// <exception cref="InvalidOperationException">
    /// The certificate exists but its key is missing, or the certificate is not a CA.
    /// </exception>
    public static async Task<ClusterCertificateAuthority> LoadOrCreateAsync(string dataDirectory, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(timeProvider);

        var tlsDirectory = Path.Combine(Path.GetFullPath(dataDirectory), TlsDirectoryName);
        SecureFile.CreatePrivateDirectoryIfMissing(Path.GetFullPath(dataDirectory));
        SecureFile.EnsurePrivateDirectory(tlsDirectory);
        var certificatePath = Path.Combine(tlsDirectory, CertificateFileName);
        var keyPath = Path.Combine(tlsDirectory, KeyFileName);

        // The certificate is written last, so its presence means the pair is complete. A key without a
        // certificate is left over from an interrupted first start: nothing can trust it yet, so replace it.
        if (File.Exists(certificatePath))
        {
            return await LoadAsync(certificatePath, keyPath, cancellationToken);
        }

        return await CreateAsync(certificatePath, keyPath, timeProvider, cancellationToken);
    }

    /// <summary>
    /// Signs <paramref name="request"/> with the CA's key. The request's own extensions are kept; an authority key
    /// identifier naming this CA is added, so clients pick the right issuer when the CA is ever rotated.
    /// </summary>
    /// <param name="request">The certificate to issue: subject, public key and extensions.</param>
    /// <param name="notBefore">Start of validity; moved forward to the CA's own start if earlier.</param>
    /// <param name="notAfter">End of validity; moved back to the CA's own end if later.</param>
    /// <returns>The issued certificate, without a private key.</returns>
    public X509Certificate2 Issue(CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.CertificateExtensions.OfType<X509AuthorityKeyIdentifierExtension>().Any())
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
                Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        }

        // CertificateRequest.Create refuses validity outside the issuer's.
        var caNotBefore = new DateTimeOffset(Certificate.NotBefore.ToUniversalTime());
        var caNotAfter = new DateTimeOffset(Certificate.NotAfter.ToUniversalTime());
        if (notBefore < caNotBefore)
        {
            notBefore = caNotBefore;
        }

        if (notAfter > caNotAfter)
        {
            notAfter = caNotAfter;
        }

        return request.Create(Certificate, notBefore, notAfter, NewSerialNumber());
    }

    /// <summary>
    /// A random 127-bit serial number. RFC 5280 section 4.1.2.2 asks for a positive serial of at most 20 bytes,
    /// and Go's crypto/x509 (kubectl) rejects negative ones since Go 1.23.
    /// </summary>
    internal static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }

    /// <inheritdoc/>
    public void Dispose() => Certificate.Dispose();

    private static async Task<ClusterCertificateAuthority> LoadAsync(string certificatePath, string keyPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(keyPath))
        {
            throw new InvalidOperationException(
                $"The CA certificate '{certificatePath}' exists but its key '{keyPath}' does not. Restore the key from a " +
                "backup, or delete both files to create a new CA (every kubeconfig and joined agent must then be re-issued).");
        }

        var certificatePem = await File.ReadAllTextAsync(certificatePath, Encoding.ASCII, cancellationToken);
        var keyPem = await File.ReadAllTextAsync(keyPath, Encoding.ASCII, cancellationToken);
        X509Certificate2 certificate;
        try
        {
            // Fails when the key does not belong to the certificate.
            certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (CryptographicException exception)
        {
            throw new InvalidOperationException(
                $"The CA in '{certificatePath}' and '{keyPath}' cannot be loaded: {exception.Message} " +
                "Restore both files from a backup, or delete both to create a new CA.", exception);
        }

        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (constraints is not { CertificateAuthority: true })
        {
            certificate.Dispose();
            throw new InvalidOperationException(
                $"'{certificatePath}' is not a CA certificate (its basic constraints do not say CA:TRUE). " +
                "Put the cluster CA there, or delete both CA files to create a new one.");
        }

        return new ClusterCertificateAuthority(certificate, certificate.ExportCertificatePem(), certificatePath, created: false);
    }

    private static async Task<ClusterCertificateAuthority> CreateAsync(string certificatePath, string keyPath, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // k3s names its CAs "<purpose>-ca@<unix seconds>", so a re-created CA is told apart from the old one at a glance.
        var subject = new X500DistinguishedName($"CN=edgecloud-ca@{now.ToUnixTimeSeconds()}");
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        // Path length 0: this CA signs only end-entity certificates (serving, agents), never another CA.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(
            certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));

        using var selfSigned = request.Create(
            subject, X509SignatureGenerator.CreateForECDsa(key), now - ClockSkewAllowance, now + Validity, NewSerialNumber());
        var certificatePem = selfSigned.ExportCertificatePem();
        var keyPem = key.ExportECPrivateKeyPem();

        await SecureFile.WriteAtomicallyAsync(keyPath, Encoding.ASCII.GetBytes(keyPem), SecureFile.PrivateFile, cancellationToken);
        await SecureFile.WriteAtomicallyAsync(certificatePath, Encoding.ASCII.GetBytes(certificatePem), SecureFile.PublicFile, cancellationToken);

        var certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        return new ClusterCertificateAuthority(certificate, certificatePem, certificatePath, created: true);
    }
}
