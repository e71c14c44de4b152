using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Server.Security;

namespace EdgeCloud.Server.Tests.Security;

/// <summary>Real handshakes over loopback, the client trusting only the cluster CA, as kubectl does with certificate-authority-data.</summary>
public sealed class TlsHandshakeTests : IDisposable
{
    private readonly TemporaryDirectory _dataDir = new();

    public void Dispose() => _dataDir.Dispose();

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task Client_trusting_only_the_CA_accepts_the_serving_certificate(string targetHost)
    {
        using var ca = await ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, TimeProvider.System, TestContext.Current.CancellationToken);
        using var serving = await ServingCertificate.LoadOrCreateAsync(
            _dataDir.Path, ca, SubjectAlternativeNames.ForListenHost("127.0.0.1"), TimeProvider.System, TestContext.Current.CancellationToken);

        var (clientError, serverError) = await HandshakeAsync(serving, X509CertificateLoader.LoadCertificate(ca.Certificate.RawData), targetHost);

        Assert.Null(clientError);
        Assert.Null(serverError);
    }

    [Fact]
    public async Task Reloaded_certificates_still_complete_a_handshake()
    {
        using (var firstCa = await ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, TimeProvider.System, TestContext.Current.CancellationToken))
        using (await ServingCertificate.LoadOrCreateAsync(_dataDir.Path, firstCa, SubjectAlternativeNames.ForListenHost("127.0.0.1"), TimeProvider.System, TestContext.Current.CancellationToken))
        {
        }

        using var ca = await ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, TimeProvider.System, TestContext.Current.CancellationToken);
        using var serving = await ServingCertificate.LoadOrCreateAsync(
            _dataDir.Path, ca, SubjectAlternativeNames.ForListenHost("127.0.0.1"), TimeProvider.System, TestContext.Current.CancellationToken);
        Assert.False(serving.Issued);

        var trusted = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(ca.CertificatePath, TestContext.Current.CancellationToken));
        var (clientError, _) = await HandshakeAsync(serving, trusted, "localhost");
        Assert.Null(clientError);
    }

    [Fact]
    public async Task Client_rejects_a_host_name_the_certificate_does_not_carry()
    {
        using var ca = await ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, TimeProvider.System, TestContext.Current.CancellationToken);
        using var serving = await ServingCertificate.LoadOrCreateAsync(
            _dataDir.Path, ca, SubjectAlternativeNames.ForListenHost("127.0.0.1"), TimeProvider.System, TestContext.Current.CancellationToken);

        var (clientError, _) = await HandshakeAsync(serving, X509CertificateLoader.LoadCertificate(ca.Certificate.RawData), "not-this-host.example");

        Assert.IsType<AuthenticationException>(clientError);
    }

    [Fact]
    public async Task Client_trusting_a_different_CA_rejects_the_serving_certificate()
    {
        using var ca = await ClusterCertificateAuthority.LoadOrCreateAsync(_dataDir.Path, TimeProvider.System, TestContext.Current.CancellationToken);
        using var serving = await ServingCertificate.LoadOrCreateAsync(
            _dataDir.Path, ca, SubjectAlternativeNames.ForListenHost("127.0.0.1"), TimeProvider.System, TestContext.Current.CancellationToken);
        using var otherDir = new TemporaryDirectory();
        using var otherCa = await ClusterCertificateAuthority.LoadOrCreateAsync(otherDir.Path, TimeProvider.System, TestContext.Current.CancellationToken);

        var (clientError, _) = await HandshakeAsync(serving, X509CertificateLoader.LoadCertificate(otherCa.Certificate.RawData), "localhost");

        Assert.IsType<AuthenticationException>(clientError);
    }

    private static async Task<(Exception? Client, Exception? Server)> HandshakeAsync(ServingCertificate serving, X509Certificate2 trustedRoot, string targetHost)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var serverTask = ServeOneAsync(listener, serving, timeout.Token);

            Exception? clientError = null;
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                await using var tls = new SslStream(client.GetStream());
                var policy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                };
                policy.CustomTrustStore.Add(trustedRoot);
                await tls.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions { TargetHost = targetHost, CertificateChainPolicy = policy },
                    timeout.Token);
                // Prove the session carries data, not only that the handshake returned.
                await tls.WriteAsync("ping"u8.ToArray(), timeout.Token);
                var buffer = new byte[4];
                await tls.ReadExactlyAsync(buffer, timeout.Token);
                Assert.Equal("pong"u8.ToArray(), buffer);
            }
            catch (AuthenticationException exception)
            {
                clientError = exception;
            }

            Exception? serverError = null;
            try
            {
                await serverTask;
            }
            catch (Exception exception) when (exception is AuthenticationException or IOException)
            {
                serverError = exception;
            }

            return (clientError, serverError);
        }
        finally
        {
            listener.Stop();
            trustedRoot.Dispose();
        }
    }

    private static async Task ServeOneAsync(TcpListener listener, ServingCertificate serving, CancellationToken cancellationToken)
    {
        using var connection = await listener.AcceptTcpClientAsync(cancellationToken);
        await using var tls = new SslStream(connection.GetStream());
        await tls.AuthenticateAsServerAsync(
            new SslServerAuthenticationOptions
            {
                ServerCertificateContext = SslStreamCertificateContext.Create(serving.Certificate, serving.Chain, offline: true),
            },
            cancellationToken);
        var buffer = new byte[4];
        await tls.ReadExactlyAsync(buffer, cancellationToken);
        await tls.WriteAsync("pong"u8.ToArray(), cancellationToken);
    }
}
