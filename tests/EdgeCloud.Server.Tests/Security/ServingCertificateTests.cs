using System.Net;
using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Server.Security;
using Microsoft.Extensions.Time.Testing;

namespace EdgeCloud.Server.Tests.Security;

public sealed class ServingCertificateTests : IDisposable
{
    private readonly TemporaryDirectory _dataDir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dataDir.Dispose();

    private Task<ClusterCertificateAuthority> AuthorityAsync() =>
        ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, _clock, TestContext.Current.CancellationToken);

    private Task<ServingCertificate> ServingAsync(ClusterCertificateAuthority ca, SubjectAlternativeNames names) =>
        ServingCertificate.LoadOrCreateAsync(_dataDir.Path, ca, names, _clock, TestContext.Current.CancellationToken);

    [Fact]
    public void Names_for_a_specific_listen_address_include_loopback_localhost_host_name_and_extras()
    {
        var names = SubjectAlternativeNames.ForListenHost("10.1.2.3", ["API.Example.com", "192.0.2.7", "[2001:db8::1]"]);

        Assert.Equal(
            new[] { IPAddress.Parse("10.1.2.3"), IPAddress.Parse("127.0.0.1"), IPAddress.Parse("192.0.2.7"), IPAddress.Parse("::1"), IPAddress.Parse("2001:db8::1") }
                .OrderBy(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 0 : 1).ThenBy(a => Convert.ToHexString(a.GetAddressBytes())),
            names.IpAddresses);
        Assert.Contains("localhost", names.DnsNames);
        Assert.Contains("api.example.com", names.DnsNames);
        Assert.Contains(Dns.GetHostName().ToLowerInvariant(), names.DnsNames);
    }

    [Fact]
    public void Wildcard_listen_address_lists_local_interface_addresses_instead_of_itself()
    {
        var names = SubjectAlternativeNames.ForListenHost("0.0.0.0");

        Assert.DoesNotContain(IPAddress.Any, names.IpAddresses);
        var interfaceAddresses = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus is System.Net.NetworkInformation.OperationalStatus.Up or System.Net.NetworkInformation.OperationalStatus.Unknown)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .Where(a => !a.IsIPv6LinkLocal);
        Assert.All(interfaceAddresses, address => Assert.Contains(address, names.IpAddresses));
        Assert.Equal(names, SubjectAlternativeNames.ForListenHost("::"));
    }

    [Theory]
    [InlineData("under_score")]
    [InlineData("bücher.example")]
    [InlineData("-leading.example")]
    public void Names_a_client_could_not_verify_are_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => SubjectAlternativeNames.FromNames([name]));
    }

    [Fact]
    public async Task First_call_issues_a_server_certificate_signed_by_the_CA_and_the_next_reuses_it()
    {
        using var ca = await AuthorityAsync();
        var names = SubjectAlternativeNames.ForListenHost("127.0.0.1");
        using var first = await ServingAsync(ca, names);
        _clock.Advance(TimeSpan.FromDays(100));
        using var second = await ServingAsync(ca, names);

        Assert.True(first.Issued);
        Assert.False(second.Issued);
        Assert.Equal(first.Certificate.RawData, second.Certificate.RawData);
        Assert.True(second.Certificate.HasPrivateKey);
        Assert.Equal(names, second.Names);
        Assert.Equal(ca.Certificate.RawData, Assert.Single(second.Chain).RawData);
        Assert.False(Assert.Single(second.Chain).HasPrivateKey);

        var leaf = second.Certificate;
        Assert.Equal(ca.Certificate.Subject, leaf.Issuer);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, Assert.Single(leaf.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages);
        Assert.Equal("1.3.6.1.5.5.7.3.1", Assert.Single(Assert.Single(leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()).Value);
        var authorityKeyId = Assert.Single(leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>());
        var caKeyId = Assert.Single(ca.Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.Equal(caKeyId.SubjectKeyIdentifierBytes.ToArray(), authorityKeyId.KeyIdentifier!.Value.ToArray());
        Assert.InRange(leaf.NotAfter.ToUniversalTime() - _clock.GetUtcNow().UtcDateTime.AddDays(-100), TimeSpan.FromDays(364), TimeSpan.FromDays(366));
    }

    [Fact]
    public async Task Names_already_covered_keep_the_certificate_and_a_missing_name_issues_a_new_one()
    {
        using var ca = await AuthorityAsync();
        using var wide = await ServingAsync(ca, SubjectAlternativeNames.ForListenHost("10.1.2.3", ["api.example.com"]));

        using var narrower = await ServingAsync(ca, SubjectAlternativeNames.ForListenHost("10.1.2.3"));
        Assert.False(narrower.Issued);
        Assert.Equal(wide.Certificate.RawData, narrower.Certificate.RawData);

        var moved = SubjectAlternativeNames.ForListenHost("10.9.9.9");
        using var reissued = await ServingAsync(ca, moved);
        Assert.True(reissued.Issued);
        Assert.Contains(IPAddress.Parse("10.9.9.9"), reissued.Names.IpAddresses);
        Assert.DoesNotContain(IPAddress.Parse("10.1.2.3"), reissued.Names.IpAddresses);

        // The new pair was persisted: the next start loads it rather than issuing again.
        using var reloaded = await ServingAsync(ca, moved);
        Assert.False(reloaded.Issued);
        Assert.Equal(reissued.Certificate.RawData, reloaded.Certificate.RawData);
    }

    [Theory]
    [InlineData(334, false)]
    [InlineData(336, true)]
    public async Task Certificate_is_renewed_within_30_days_of_expiry(int daysLater, bool renewed)
    {
        using var ca = await AuthorityAsync();
        var names = SubjectAlternativeNames.ForListenHost("127.0.0.1");
        using var first = await ServingAsync(ca, names);

        _clock.Advance(TimeSpan.FromDays(daysLater));
        using var later = await ServingAsync(ca, names);

        Assert.Equal(renewed, later.Issued);
        Assert.Equal(renewed, !first.Certificate.RawData.AsSpan().SequenceEqual(later.Certificate.RawData));
        if (renewed)
        {
            Assert.True(later.Certificate.NotAfter.ToUniversalTime() > _clock.GetUtcNow().UtcDateTime.AddDays(300));
        }
    }

    [Fact]
    public async Task Certificate_from_another_CA_is_replaced()
    {
        var names = SubjectAlternativeNames.ForListenHost("127.0.0.1");
        using (var oldCa = await AuthorityAsync())
        using (await ServingAsync(oldCa, names))
        {
        }

        File.Delete(Path.Combine(_dataDir.Path, "tls", "ca.crt"));
        File.Delete(Path.Combine(_dataDir.Path, "tls", "ca.key"));
        using var newCa = await AuthorityAsync();
        using var serving = await ServingAsync(newCa, names);

        Assert.True(newCa.Created);
        Assert.True(serving.Issued);
        Assert.Equal(newCa.Certificate.Subject, serving.Certificate.Issuer);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Serving_key_is_private_and_certificate_is_world_readable()
    {
        using var ca = await AuthorityAsync();
        using var serving = await ServingAsync(ca, SubjectAlternativeNames.ForListenHost("127.0.0.1"));
        var tls = Path.Combine(_dataDir.Path, "tls");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(tls, "serving.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(Path.Combine(tls, "serving.crt")));
        // No temporary files are left behind by the atomic writes.
        Assert.Equal(["ca.crt", "ca.key", "serving.crt", "serving.key"], Directory.GetFiles(tls).Select(p => Path.GetFileName(p)!).Order().ToArray());
    }

    [Fact]
    public async Task A_damaged_serving_key_is_replaced()
    {
        using var ca = await AuthorityAsync();
        var names = SubjectAlternativeNames.ForListenHost("127.0.0.1");
        using (await ServingAsync(ca, names))
        {
        }

        await File.WriteAllTextAsync(Path.Combine(_dataDir.Path, "tls", "serving.key"), "garbage", TestContext.Current.CancellationToken);
        using var serving = await ServingAsync(ca, names);

        Assert.True(serving.Issued);
        Assert.True(serving.Certificate.HasPrivateKey);
    }
}
