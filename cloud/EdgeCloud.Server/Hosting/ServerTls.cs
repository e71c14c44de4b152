using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Server.Security;

namespace EdgeCloud.Server.Hosting;

/// <summary>The TLS material of a start: the CA (created on first start) and a serving certificate for the listen address.</summary>
/// <param name="ServingCertificate">What Kestrel presents.</param>
/// <param name="CaPem">The CA certificate, for the kubeconfig.</param>
internal sealed record ServerTls(X509Certificate2 ServingCertificate, string CaPem)
{
    /// <summary>Loads or creates the material under DIR/tls.</summary>
    public static ServerTls LoadOrCreate(ServerOptions options)
    {
        var directory = Path.Combine(options.DataDirectory, "tls");
        var ca = ClusterCertificateAuthority.LoadOrCreate(directory, TimeProvider.System);
        return new ServerTls(Security.ServingCertificate.LoadOrCreate(directory, ca, options.ListenHost, TimeProvider.System), ca.CertificatePem);
    }
}
