using System.Net;
using EdgeCloud.Server.Security;
using EdgeCloud.Server.Tests.Agents;
using EdgeCloud.Server.Tests.EndToEnd;
using EdgeCloud.Server.Tests.Install;

namespace EdgeCloud.Server.Tests.Tenancy;

/// <summary>
/// A new tenant's whole path, as the README tells it: signup, a cluster, its kubeconfig with kubectl, then the
/// install command the portal shows for a join token, run through /bin/sh into a temporary root, and the
/// installed unit's agent Ready in that tenant's cluster.
/// </summary>
public sealed class TenancyInstallTests(InstallServer server) : IClassFixture<InstallServer>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tenancy-install-").FullName;

    [Fact]
    public async Task Signup_cluster_kubeconfig_then_the_portal_install_command_gives_a_Ready_node_in_the_tenant_cluster()
    {
        TestAgentBinary.Require();
        var ca = (await KubeconfigReader.ReadAsync(server.KubeconfigPath, CancellationToken.None)).CertificateAuthorityPem;
        using var portal = await PortalClient.SignUpAsync(server.Url, ca, $"install-{Guid.NewGuid():N}"[..16] + "@example.com");
        var cluster = await portal.CreateClusterAsync("wavelength-bos");
        var kubeconfig = await portal.DownloadKubeconfigAsync(cluster, "admin", _root);
        Assert.Contains("kube-node-lease", await new Kubectl("1.30", kubeconfig).OkAsync("get", "namespaces"), StringComparison.Ordinal);

        var (_, _, install) = await portal.IssueJoinTokenAsync(cluster);
        // The portal's command, with what a test adds: the private CA for curl, a temporary root, no systemctl.
        Assert.StartsWith($"curl -sfL {server.Url}/install.sh | sh -s - --token K10", install, StringComparison.Ordinal);
        var command = install
            .Replace("curl -sfL ", "curl -sfL --cacert \"$CA\" ", StringComparison.Ordinal)
            .Replace("| sh ", "| INSTALL_EDGECLOUD_ROOT=\"$ROOT\" INSTALL_EDGECLOUD_SKIP_START=true sh ", StringComparison.Ordinal)
            + " --node-name tenant-install";
        var result = await ShellRun.RunAsync(command, new Dictionary<string, string> { ["CA"] = server.CaFile, ["ROOT"] = _root }, TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.ToString());

        var unit = await File.ReadAllTextAsync(Path.Combine(_root, "etc/systemd/system/edge-agent.service"));
        await using var agent = UnitProcess.Start(UnitProcess.ExecStartOf(unit), Path.Combine(_root, "var/lib/edge-agent"));
        using var api = await AdminApi.OpenAsync(kubeconfig);
        try
        {
            await api.WaitForAsync("api/v1/nodes", static n => n["metadata"]!["name"]!.GetValue<string>() == "tenant-install" && AdminApi.IsReady(n), TimeSpan.FromSeconds(30), "node tenant-install Ready");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\nagent:\n" + agent.Output);
        }

        // In the tenant's cluster only.
        using var operatorApi = await AdminApi.OpenAsync(server.KubeconfigPath);
        Assert.Null(await operatorApi.GetAsync("api/v1/nodes/tenant-install"));
        Assert.Equal(HttpStatusCode.OK, (await portal.CallAsync(HttpMethod.Get, $"api/v1/tenants/{portal.TenantId}/clusters/{cluster}")).Code);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
