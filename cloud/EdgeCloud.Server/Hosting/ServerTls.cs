using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Server.Security;

namespace EdgeCloud.Server.Hosting;

/// <summary>The TLS material of a start: the CA (created on first start) and a serving certificate for the listen address.</summary>
/// <param name="ServingCertificate">What Kestrel presents.</param>
/// <param name="CaPem">The CA certificate, for the kubeconfig.</param>
internal sealed record ServerTls(X509Certificate2 ServingCertificate, string CaPem)
{
    /// <summary>Loads or creates the material under DIR/tls.</summary>
    public static async Task<ServerTls> LoadOrCreateAsync(ServerOptions options, CancellationToken cancellationToken)
    {
        using var ca = await ClusterCertificateAuthority.LoadOrCreateAsync(options.DataDirectory, TimeProvider.System, cancellationToken);
        var serving = await Security.ServingCertificate.LoadOrCreateAsync(
            options.DataDirectory, ca, SubjectAlternativeNames.ForListenHost(options.ListenHost), TimeProvider.System, cancellationToken);
        return new ServerTls(serving.Certificate, ca.CertificatePem);
    }
}
