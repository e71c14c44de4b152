using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EdgeCloud.Server.Security;

/// <summary>
/// The host's HTTPS certificate, signed by the <see cref="ClusterCertificateAuthority"/> and kept as
/// <c>tls/serving.crt</c> and <c>tls/serving.key</c> (PEM) under the data directory.
/// </summary>
public sealed class ServingCertificate : IDisposable
{
    /// <summary>File name of the serving certificate (PEM) in the TLS directory.</summary>
    public const string CertificateFileName = "serving.crt";

    /// <summary>File name of the serving private key (PEM) in the TLS directory.</summary>
    public const string KeyFileName = "serving.key";

    /// <summary>How long a new serving certificate is valid: 1 year, as k3s's serving certificates are.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(365);

    /// <summary>
    /// A certificate this close to expiry is replaced at start. k3s renews its certificates when they are
    /// within 90 days of expiry; 30 days still leaves a month of restarts to pick up a new one.
    /// </summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private ServingCertificate(X509Certificate2 certificate, X509Certificate2 authority, bool issued)
    {
        Certificate = certificate;
        Chain = [X509CertificateLoader.LoadCertificate(authority.RawData)];
        Names = SubjectAlternativeNames.FromCertificate(certificate);
        Issued = issued;
    }

    /// <summary>The serving certificate with its private key, ready for Kestrel's <c>UseHttps</c> or an <c>SslStream</c>.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// The certificates above <see cref="Certificate"/>, without private keys: the CA. Kestrel's
    /// <c>HttpsConnectionAdapterOptions.ServerCertificateChain</c> or <c>SslStreamCertificateContext.Create</c> take it.
    /// </summary>
    public X509Certificate2Collection Chain { get; }

    /// <summary>The names the certificate carries.</summary>
    public SubjectAlternativeNames Names { get; }

    /// <summary>True when this call issued a new certificate (none existed, it was expiring, or names were missing).</summary>
    public bool Issued { get; }

    /// <summary>
    /// Loads <c>tls/serving.crt</c> from <paramref name="dataDirectory"/> if it was issued by
    /// <paramref name="authority"/>, covers <paramref name="names"/> and has more than <see cref="RenewBefore"/>
    /// left; otherwise issues a new one for exactly <paramref name="names"/> and replaces the files.
    /// </summary>
    /// <param name="dataDirectory">The host's data directory, the same one the CA lives in.</param>
    /// <param name="authority">The CA that signs the certificate.</param>
    /// <param name="names">Names clients may reach the host by; see <see cref="SubjectAlternativeNames.ForListenHost"/>.</param>
    /// <param name="timeProvider">Clock for expiry checks and new validity.</param>
    /// <param name="cancellationToken">Cancels file I/O.</param>
    public static async Task<ServingCertificate> LoadOrCreateAsync(
        string dataDirectory,
        ClusterCertificateAuthority authority,
        SubjectAlternativeNames names,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(timeProvider);

        var tlsDirectory = Path.Combine(Path.GetFullPath(dataDirectory), ClusterCertificateAuthority.TlsDirectoryName);
        SecureFile.EnsurePrivateDirectory(tlsDirectory);
        var certificatePath = Path.Combine(tlsDirectory, CertificateFileName);
        var keyPath = Path.Combine(tlsDirectory, KeyFileName);
        var now = timeProvider.GetUtcNow();

        var existing = await TryLoadAsync(certificatePath, keyPath, cancellationToken);
        if (existing is not null)
        {
            if (IsReusable(existing, authority, names, now))
            {
                return new ServingCertificate(existing, authority.Certificate, issued: false);
            }

            existing.Dispose();
        }

        return await IssueAsync(certificatePath, keyPath, authority, names, now, cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var certificate in Chain)
        {
            certificate.Dispose();
        }
    }

    private static async Task<X509Certificate2?> TryLoadAsync(string certificatePath, string keyPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            return null;
        }

        var certificatePem = await File.ReadAllTextAsync(certificatePath, Encoding.ASCII, cancellationToken);
        var keyPem = await File.ReadAllTextAsync(keyPath, Encoding.ASCII, cancellationToken);
        try
        {
            return X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (CryptographicException)
        {
            // A serving certificate is derived state: a damaged or mismatched pair is simply issued again.
            return null;
        }
    }

    private static bool IsReusable(X509Certificate2 certificate, ClusterCertificateAuthority authority, SubjectAlternativeNames names, DateTimeOffset now)
    {
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        return notAfter - now > RenewBefore
            && notBefore <= now
            && IsSignedBy(certificate, authority.Certificate)
            && names.IsCoveredBy(SubjectAlternativeNames.FromCertificate(certificate));
    }

    private static bool IsSignedBy(X509Certificate2 certificate, X509Certificate2 authority)
    {
        // After the CA is replaced, the old serving certificate would fail every client that trusts the new one.
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        return chain.Build(certificate)
            && chain.ChainElements.Count == 2
            && chain.ChainElements[1].Certificate.RawData.AsSpan().SequenceEqual(authority.RawData);
    }

    private static async Task<ServingCertificate> IssueAsync(
        string certificatePath,
        string keyPath,
        ClusterCertificateAuthority authority,
        SubjectAlternativeNames names,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // k3s's serving certificates are "CN=k3s,O=k3s"; clients check the SANs, the subject only names the issuer's purpose.
        var request = new CertificateRequest("CN=edgecloud,O=edgecloud", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(
            certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        // ECDSA keys sign the handshake; they never encipher a key, so digitalSignature alone is right.
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(names.ToExtension());

        using var issued = authority.Issue(request, now - ClusterCertificateAuthority.ClockSkewAllowance, now + Validity);
        var certificatePem = issued.ExportCertificatePem();
        var keyPem = key.ExportECPrivateKeyPem();

        // Both files are replaced; a crash between the two leaves a mismatched pair, which the next start re-issues.
        await SecureFile.WriteAtomicallyAsync(keyPath, Encoding.ASCII.GetBytes(keyPem), SecureFile.PrivateFile, cancellationToken);
        await SecureFile.WriteAtomicallyAsync(certificatePath, Encoding.ASCII.GetBytes(certificatePem), SecureFile.PublicFile, cancellationToken);

        return new ServingCertificate(X509Certificate2.CreateFromPem(certificatePem, keyPem), authority.Certificate, issued: true);
    }
}
