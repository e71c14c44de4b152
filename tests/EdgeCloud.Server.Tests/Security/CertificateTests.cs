using System.Net;
using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Server.Security;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Server.Tests.Security;

public sealed class CertificateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgecloud-tls-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void The_ca_is_created_once_and_reloaded_with_owner_only_key_files()
    {
        var created = ClusterCertificateAuthority.LoadOrCreate(_directory, _time);
        var reloaded = ClusterCertificateAuthority.LoadOrCreate(_directory, _time);
        Assert.Equal(created.Certificate.Thumbprint, reloaded.Certificate.Thumbprint);
        Assert.Equal(64, created.Sha256Hex.Length);
        Assert.StartsWith("CN=edgecloud-ca@", created.Certificate.Subject, StringComparison.Ordinal);
        Assert.True(created.Certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "ca.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
    }

    [Fact]
    public void The_serving_certificate_chains_to_the_ca_and_covers_loopback_localhost_and_the_listen_address()
    {
        var ca = ClusterCertificateAuthority.LoadOrCreate(_directory, _time);
        using var serving = ServingCertificate.LoadOrCreate(_directory, ca, "10.1.2.3", _time);
        var names = serving.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", names.EnumerateDnsNames());
        Assert.Contains(Dns.GetHostName(), names.EnumerateDnsNames(), StringComparer.OrdinalIgnoreCase);
        Assert.Contains(IPAddress.Parse("10.1.2.3"), names.EnumerateIPAddresses());
        Assert.Contains(IPAddress.Loopback, names.EnumerateIPAddresses());
        Assert.True(serving.HasPrivateKey);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        Assert.True(chain.Build(serving));
    }

    [Fact]
    public void The_serving_certificate_is_reused_until_a_new_name_or_near_expiry_needs_a_new_one()
    {
        var ca = ClusterCertificateAuthority.LoadOrCreate(_directory, _time);
        using var first = ServingCertificate.LoadOrCreate(_directory, ca, "127.0.0.1", _time);
        using var again = ServingCertificate.LoadOrCreate(_directory, ca, "127.0.0.1", _time);
        Assert.Equal(first.Thumbprint, again.Thumbprint);

        using var otherAddress = ServingCertificate.LoadOrCreate(_directory, ca, "192.168.7.7", _time);
        Assert.NotEqual(first.Thumbprint, otherAddress.Thumbprint);

        _time.Advance(TimeSpan.FromDays(340));
        using var renewed = ServingCertificate.LoadOrCreate(_directory, ca, "192.168.7.7", _time);
        Assert.NotEqual(otherAddress.Thumbprint, renewed.Thumbprint);
    }

    [Fact]
    public void The_kubeconfig_is_owner_only_and_its_token_reads_back()
    {
        var path = Path.Combine(_directory, "kubeconfig.yaml");
        var ca = ClusterCertificateAuthority.LoadOrCreate(_directory, _time);
        Kubeconfig.Write(path, "default", "https://127.0.0.1:6443/clusters/default", ca.CertificatePem, "ec_token");
        Assert.Equal("ec_token", Kubeconfig.TryReadToken(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        File.WriteAllText(path, "not: [yaml");
        Assert.Null(Kubeconfig.TryReadToken(path));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
