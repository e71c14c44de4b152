using EdgeCloud.Server.Security;
using EdgeCloud.Server.Tests.EndToEnd;

namespace EdgeCloud.Server.Tests.Install;

/// <summary>A real edgecloud with no agent binary to serve (beside the test's edgecloud is only the framework-dependent apphost).</summary>
public sealed class NoAgentBinaryServer : EdgeCloudProcess
{
    public string Url => new Uri(ApiAddress).GetLeftPart(UriPartial.Authority);

    public int Port => new Uri(ApiAddress).Port;

    public string CaFile => Path.Combine(DataDirectory, "install-test-ca.pem");

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var kubeconfig = await KubeconfigReader.ReadAsync(KubeconfigPath, CancellationToken.None);
        await File.WriteAllTextAsync(CaFile, kubeconfig.CertificateAuthorityPem);
    }
}
