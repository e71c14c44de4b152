using System.Net;
using System.Text;
using System.Text.Json;
using EdgeCloud.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeCloud.Server.Tests.Security;

public sealed class KubeconfigTests : IDisposable
{
    private readonly TemporaryDirectory _dataDir = new();

    public void Dispose() => _dataDir.Dispose();

    private string KubeconfigPath => Path.Combine(_dataDir.Path, KubeconfigWriter.AdminFileName);

    [Theory]
    [InlineData("127.0.0.1", 6443, "default", "https://127.0.0.1:6443/clusters/default")]
    [InlineData("0.0.0.0", 6443, "default", "https://127.0.0.1:6443/clusters/default")]
    [InlineData("::", 443, "default", "https://127.0.0.1:443/clusters/default")]
    [InlineData("2001:db8::1", 8443, "edge", "https://[2001:db8::1]:8443/clusters/edge")]
    [InlineData("[2001:db8::1]", 8443, "edge", "https://[2001:db8::1]:8443/clusters/edge")]
    [InlineData("api.example.com", 6443, "default", "https://api.example.com:6443/clusters/default")]
    public void Server_url_names_a_dialable_host_and_the_cluster_path(string host, int port, string cluster, string expected)
    {
        Assert.Equal(expected, ClusterKubeconfig.ServerUrl(host, port, cluster));
    }

    [Theory]
    [InlineData("abc123")]
    [InlineData("0123456789")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("K10abc::server:s3cr#t: x")]
    public async Task Written_kubeconfig_reads_back_the_same(string token)
    {
        using var ca = await ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, TimeProvider.System, TestContext.Current.CancellationToken);
        var written = new ClusterKubeconfig
        {
            ClusterName = "default",
            Server = "https://127.0.0.1:6443/clusters/default",
            CertificateAuthorityPem = ca.CertificatePem,
            Token = token,
        };

        await KubeconfigWriter.WriteAsync(KubeconfigPath, written, TestContext.Current.CancellationToken);
        var read = await KubeconfigReader.ReadAsync(KubeconfigPath, TestContext.Current.CancellationToken);

        Assert.Equal(written, read);
        Assert.Equal("edgecloud-default", read.EntryName);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Kubeconfig_is_private_and_replaced_atomically()
    {
        await KubeconfigWriter.WriteAsync(KubeconfigPath, Sample("first"), TestContext.Current.CancellationToken);
        File.SetUnixFileMode(KubeconfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        await KubeconfigWriter.WriteAsync(KubeconfigPath, Sample("second"), TestContext.Current.CancellationToken);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KubeconfigPath));
        Assert.Equal("second", (await KubeconfigReader.ReadAsync(KubeconfigPath, TestContext.Current.CancellationToken)).Token);
        Assert.Equal([KubeconfigWriter.AdminFileName], Directory.GetFiles(_dataDir.Path).Select(p => Path.GetFileName(p)!).ToArray());
    }

    [Fact]
    public async Task Write_if_missing_keeps_the_first_kubeconfig()
    {
        Assert.True(await KubeconfigWriter.WriteIfMissingAsync(KubeconfigPath, Sample("first"), TestContext.Current.CancellationToken));
        Assert.False(await KubeconfigWriter.WriteIfMissingAsync(KubeconfigPath, Sample("second"), TestContext.Current.CancellationToken));

        Assert.Equal("first", (await KubeconfigReader.ReadAsync(KubeconfigPath, TestContext.Current.CancellationToken)).Token);
    }

    [Fact]
    public void Reader_reports_a_missing_context()
    {
        var error = Assert.Throws<FormatException>(() => KubeconfigReader.Parse("apiVersion: v1\nkind: Config\ncurrent-context: nowhere\n"));
        Assert.Contains("nowhere", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubectl_reads_server_CA_and_token_from_the_written_kubeconfig()
    {
        using var ca = await ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, TimeProvider.System, TestContext.Current.CancellationToken);
        var written = new ClusterKubeconfig
        {
            ClusterName = "default",
            Server = ClusterKubeconfig.ServerUrl("127.0.0.1", 6443, "default"),
            CertificateAuthorityPem = ca.CertificatePem,
            Token = "0123456789",
        };
        await KubeconfigWriter.WriteAsync(KubeconfigPath, written, TestContext.Current.CancellationToken);

        var (exitCode, stdout, stderr) = await Kubectl.RunAsync("config", "view", "--kubeconfig", KubeconfigPath, "-o", "json", "--raw");

        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("edgecloud-default", root.GetProperty("current-context").GetString());
        var cluster = Assert.Single(root.GetProperty("clusters").EnumerateArray());
        Assert.Equal("edgecloud-default", cluster.GetProperty("name").GetString());
        Assert.Equal("https://127.0.0.1:6443/clusters/default", cluster.GetProperty("cluster").GetProperty("server").GetString());
        var caData = cluster.GetProperty("cluster").GetProperty("certificate-authority-data").GetString()!;
        Assert.Equal(ca.CertificatePem, Encoding.ASCII.GetString(Convert.FromBase64String(caData)));
        var user = Assert.Single(root.GetProperty("users").EnumerateArray());
        Assert.Equal("0123456789", user.GetProperty("user").GetProperty("token").GetString());
        var context = Assert.Single(root.GetProperty("contexts").EnumerateArray()).GetProperty("context");
        Assert.Equal("edgecloud-default", context.GetProperty("cluster").GetString());
        Assert.Equal("edgecloud-default", context.GetProperty("user").GetString());
    }

    [Fact]
    public async Task Kubectl_verifies_the_serving_certificate_and_sends_the_token()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var ca = await ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, TimeProvider.System, cancellationToken);
        using var serving = await ServingCertificate.LoadOrCreateAsync(
            _dataDir.Path, ca, SubjectAlternativeNames.ForListenHost("127.0.0.1"), TimeProvider.System, cancellationToken);

        var authorizations = new List<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = serving.Certificate;
            https.ServerCertificateChain = serving.Chain;
        })));
        await using var app = builder.Build();
        app.MapGet("/clusters/default/version", (HttpContext context) =>
        {
            lock (authorizations)
            {
                authorizations.Add(context.Request.Headers.Authorization.ToString());
            }

            return Results.Text(
                """{"major":"1","minor":"32","gitVersion":"v1.32.0","gitCommit":"0","gitTreeState":"clean","buildDate":"2025-01-01T00:00:00Z","goVersion":"go1.23","compiler":"gc","platform":"linux/amd64"}""",
                "application/json");
        });
        await app.StartAsync(cancellationToken);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            var port = new Uri(address).Port;
            await KubeconfigWriter.WriteAsync(KubeconfigPath, new ClusterKubeconfig
            {
                ClusterName = "default",
                Server = ClusterKubeconfig.ServerUrl("127.0.0.1", port, "default"),
                CertificateAuthorityPem = ca.CertificatePem,
                Token = "admin-token-42",
            }, cancellationToken);

            var (exitCode, stdout, stderr) = await Kubectl.RunAsync("--kubeconfig", KubeconfigPath, "version", "-o", "json", "--request-timeout=20s");

            Assert.True(exitCode == 0, stderr);
            using var json = JsonDocument.Parse(stdout);
            Assert.Equal("v1.32.0", json.RootElement.GetProperty("serverVersion").GetProperty("gitVersion").GetString());
            lock (authorizations)
            {
                Assert.Contains("Bearer admin-token-42", authorizations);
            }
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    private static ClusterKubeconfig Sample(string token) => new()
    {
        ClusterName = "default",
        Server = "https://127.0.0.1:6443/clusters/default",
        CertificateAuthorityPem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        Token = token,
    };
}
