using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeCloud.Server.Security;
using EdgeCloud.Server.Tests.Agents;

namespace EdgeCloud.Server.Tests.Install;

/// <summary>
/// The one-command install against a real edgecloud serving a real single-file edge-agent: the documented curl line
/// through /bin/sh into a temporary root, then the unit's own ExecStart run as a process until its node is Ready.
/// </summary>
public sealed class AgentInstallTests(InstallServer server) : IClassFixture<InstallServer>, IDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    // The command from the README, the root and the skip switch as a test (or an image build) sets them.
    private const string InstallCommand =
        "curl -sfL --cacert \"$CA\" \"$URL/install.sh\" | INSTALL_EDGECLOUD_ROOT=\"$ROOT\" INSTALL_EDGECLOUD_SKIP_START=true sh -s - --token \"$TOKEN\" --node-name \"$NODE\" $EXTRA";

    private readonly string _root = Directory.CreateTempSubdirectory("edgecloud-install-").FullName;

    [Fact]
    public async Task The_curl_line_installs_a_unit_whose_ExecStart_joins_a_Ready_node()
    {
        var binary = TestAgentBinary.Require();
        var token = (await File.ReadAllTextAsync(server.TokenFile)).Trim();
        var installed = await InstallAsync(token, "install-unit", "");
        Assert.True(installed.ExitCode == 0, installed.ToString());

        var agentPath = Path.Combine(_root, "usr/local/bin/edge-agent");
        var tokenPath = Path.Combine(_root, "etc/edge-agent/token");
        var unitPath = Path.Combine(_root, "etc/systemd/system/edge-agent.service");
        Assert.Equal(await HashAsync(binary), await HashAsync(agentPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(agentPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(tokenPath)!));
        Assert.Equal(token, (await File.ReadAllTextAsync(tokenPath)).Trim());
        // Nothing staged is left beside the installed files.
        Assert.Empty(Directory.EnumerateFiles(_root, ".*", SearchOption.AllDirectories));

        var unit = await File.ReadAllTextAsync(unitPath);
        foreach (var directive in new[] { "Type=simple", "Restart=always", "RestartSec=5", "Wants=network-online.target", "After=network-online.target", "KillMode=process", "LimitNOFILE=1048576", "WantedBy=multi-user.target" })
        {
            Assert.Contains("\n" + directive + "\n", unit, StringComparison.Ordinal);
        }

        var dataDirectory = Path.Combine(_root, "var/lib/edge-agent");
        var command = UnitProcess.ExecStartOf(unit);
        Assert.Equal([agentPath, "--server", server.Url, "--token-file", tokenPath, "--node-name", "install-unit", "--data-dir", dataDirectory], command);

        using var api = await AdminApi.OpenAsync(server.KubeconfigPath);
        await using var agent = UnitProcess.Start(command, dataDirectory);
        try
        {
            await api.WaitForAsync("api/v1/nodes", static n => n["metadata"]!["name"]!.GetValue<string>() == "install-unit" && AdminApi.IsReady(n), TimeSpan.FromSeconds(30), "node install-unit Ready");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\nagent:\n" + agent.Output);
        }

        // Running the script again upgrades in place: a new file renamed over the running agent's, the unit rewritten.
        var inodeBefore = await InodeAsync(agentPath);
        var again = await InstallAsync(token, "install-unit", "--labels site=plant-9 --runtime process");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.NotEqual(inodeBefore, await InodeAsync(agentPath));
        Assert.Equal(await HashAsync(binary), await HashAsync(agentPath));
        Assert.Equal(
            [agentPath, "--server", server.Url, "--token-file", tokenPath, "--node-name", "install-unit", "--data-dir", dataDirectory, "--runtime", "process", "--labels", "site=plant-9"],
            UnitProcess.ExecStartOf(await File.ReadAllTextAsync(unitPath)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenPath));
    }

    [Fact]
    public async Task The_download_has_a_length_and_an_ETag_and_HEAD_and_If_None_Match_answer_without_the_body()
    {
        var binary = TestAgentBinary.Require();
        using var client = await ClientAsync();
        var url = $"{server.Url}/downloads/edge-agent/linux-amd64";

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(new FileInfo(binary).Length, head.Content.Headers.ContentLength);
        Assert.NotNull(head.Headers.ETag);
        Assert.NotNull(head.Content.Headers.LastModified);

        using var get = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(head.Headers.ETag, get.Headers.ETag);
        Assert.Equal(await HashAsync(binary), Convert.ToHexStringLower(SHA256.HashData(await get.Content.ReadAsByteArrayAsync())));

        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(head.Headers.ETag!);
        using var unchanged = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Task<ShellResult> InstallAsync(string token, string node, string extra) =>
        ShellRun.RunAsync(InstallCommand, new Dictionary<string, string>
        {
            ["CA"] = server.CaFile,
            ["URL"] = server.Url,
            ["ROOT"] = _root,
            ["TOKEN"] = token,
            ["NODE"] = node,
            ["EXTRA"] = extra,
        }, ScriptTimeout);

    private async Task<HttpClient> ClientAsync()
    {
        var kubeconfig = await KubeconfigReader.ReadAsync(server.KubeconfigPath, CancellationToken.None);
        return new HttpClient(CaTrust.CreateHandler(X509Certificate2.CreateFromPem(kubeconfig.CertificateAuthorityPem)));
    }

    private static async Task<string> HashAsync(string path)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
    }

    private static async Task<string> InodeAsync(string path)
    {
        var stat = await ShellRun.RunAsync("stat -c %i \"$F\"", new Dictionary<string, string> { ["F"] = path }, TimeSpan.FromSeconds(10));
        Assert.True(stat.ExitCode == 0, stat.ToString());
        return stat.Stdout.Trim();
    }
}
