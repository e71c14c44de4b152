using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Server.Security;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Server.Tests.Security;

public sealed class ClusterCertificateAuthorityTests : IDisposable
{
    private readonly TemporaryDirectory _dataDir = new();

    public void Dispose() => _dataDir.Dispose();

    [Fact]
    public async Task First_start_creates_a_P256_CA_that_later_starts_reload()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var created = await ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, clock, TestContext.Current.CancellationToken);
        Assert.True(created.Created);

        clock.Advance(TimeSpan.FromDays(400));
        using var loaded = await ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, clock, TestContext.Current.CancellationToken);

        Assert.False(loaded.Created);
        Assert.Equal(created.Certificate.RawData, loaded.Certificate.RawData);
        Assert.Equal(created.CertificateHash, loaded.CertificateHash);
        Assert.True(loaded.Certificate.HasPrivateKey);
        Assert.Equal("1.2.840.10045.2.1", loaded.Certificate.PublicKey.Oid.Value);
        using var key = loaded.Certificate.GetECDsaPrivateKey();
        Assert.Equal(256, key!.KeySize);
    }

    [Fact]
    public async Task CA_certificate_has_the_extensions_clients_require()
    {
        var now = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        using var ca = await ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, new FakeTimeProvider(now), TestContext.Current.CancellationToken);
        var certificate = ca.Certificate;

        Assert.Equal($"CN=edgecloud-ca@{now.ToUnixTimeSeconds()}", certificate.Subject);
        Assert.Equal(certificate.Subject, certificate.Issuer);
        var constraints = Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.True(constraints.Critical);
        var usage = Assert.Single(certificate.Extensions.OfType<X509KeyUsageExtension>());
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        Assert.Single(certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.InRange(certificate.NotAfter.ToUniversalTime() - now.UtcDateTime, TimeSpan.FromDays(3649), TimeSpan.FromDays(3651));
        Assert.True(certificate.NotBefore.ToUniversalTime() <= now.UtcDateTime);
        // GetSerialNumber is little-endian; Go's crypto/x509 rejects a negative serial.
        Assert.True(new System.Numerics.BigInteger(certificate.GetSerialNumber(), isUnsigned: false, isBigEndian: false) > 0);
    }

    [Fact]
    public async Task Hash_is_the_sha256_of_the_DER_and_PEM_matches_the_file()
    {
        using var ca = await ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, TimeProvider.System, TestContext.Current.CancellationToken);
        var filePem = await File.ReadAllTextAsync(Path.Combine(_dataDir.Path, "tls", "ca.crt"), TestContext.Current.CancellationToken);
        using var fromFile = X509Certificate2.CreateFromPem(filePem);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(fromFile.RawData)), ca.CertificateHash);
        Assert.Matches("^[0-9a-f]{64}$", ca.CertificateHash);
        Assert.Equal(fromFile.RawData, X509Certificate2.CreateFromPem(ca.CertificatePem).RawData);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Files_and_directory_are_private_except_the_certificate()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        using var ca = await ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, TimeProvider.System, TestContext.Current.CancellationToken);
        var tls = Path.Combine(_dataDir.Path, "tls");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(tls));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(tls, "ca.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(Path.Combine(tls, "ca.crt")));
        Assert.Equal(["ca.crt", "ca.key"], Directory.GetFiles(tls).Select(path => Path.GetFileName(path)!).Order().ToArray());
    }

    [Fact]
    public async Task A_certificate_without_its_key_is_refused_rather_than_replaced()
    {
        using (await ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, TimeProvider.System, TestContext.Current.CancellationToken))
        {
        }

        var keyPath = Path.Combine(_dataDir.Path, "tls", "ca.key");
        File.Delete(keyPath);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, TimeProvider.System, TestContext.Current.CancellationToken));
        Assert.Contains("ca.key", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(keyPath));
    }

    [Fact]
    public async Task A_key_left_without_a_certificate_by_an_interrupted_start_is_replaced()
    {
        var tls = Path.Combine(_dataDir.Path, "tls");
        Directory.CreateDirectory(tls);
        await File.WriteAllTextAsync(Path.Combine(tls, "ca.key"), "not a key", TestContext.Current.CancellationToken);

        using var ca = await ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, TimeProvider.System, TestContext.Current.CancellationToken);

        Assert.True(ca.Created);
        Assert.Contains("EC PRIVATE KEY", await File.ReadAllTextAsync(Path.Combine(tls, "ca.key"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_that_does_not_match_the_certificate_is_refused()
    {
        using (await ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, TimeProvider.System, TestContext.Current.CancellationToken))
        {
        }

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await File.WriteAllTextAsync(Path.Combine(_dataDir.Path, "tls", "ca.key"), otherKey.ExportECPrivateKeyPem(), TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, TimeProvider.System, TestContext.Current.CancellationToken));
    }
}
