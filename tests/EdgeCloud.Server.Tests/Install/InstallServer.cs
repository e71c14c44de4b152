using EdgeCloud.Server.Tests.EndToEnd;

namespace EdgeCloud.Server.Tests.Install;

/// <summary>A real edgecloud serving the published test agent (--agent-binary) to the install script, when there is one.</summary>
public sealed class InstallServer() : EdgeCloudProcess(TestAgentBinary.Configured() is { } path ? ["--agent-binary", path] : [])
{
    /// <summary>https://127.0.0.1:PORT, where install.sh and the downloads are.</summary>
    public string Url => new Uri(ApiAddress).GetLeftPart(UriPartial.Authority);

    public string Port => new Uri(ApiAddress).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string TokenFile => Path.Combine(DataDirectory, "agent-token");

    /// <summary>The server's CA in a file, for curl --cacert (written once, removed with the data directory).</summary>
    public string CaFile => Path.Combine(DataDirectory, "install-test-ca.pem");

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var kubeconfig = await EdgeCloud.Server.Security.KubeconfigReader.ReadAsync(KubeconfigPath, CancellationToken.None);
        await File.WriteAllTextAsync(CaFile, kubeconfig.CertificateAuthorityPem);
    }
}
