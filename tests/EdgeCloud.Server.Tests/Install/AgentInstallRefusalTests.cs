using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EdgeCloud.Server.Security;

namespace EdgeCloud.Server.Tests.Install;

/// <summary>What the install script and its endpoints refuse: a token for another CA, a malformed or missing token, a download the server cannot serve, a Host header that is not a host.</summary>
public sealed class AgentInstallRefusalTests(NoAgentBinaryServer server) : IClassFixture<NoAgentBinaryServer>, IDisposable
{
    private const string InstallCommand =
        "curl -sfL --cacert \"$CA\" \"$URL/install.sh\" | INSTALL_EDGECLOUD_ROOT=\"$ROOT\" INSTALL_EDGECLOUD_SKIP_START=true sh -s - $ARGS";

    private readonly string _root = Directory.CreateTempSubdirectory("edgecloud-install-").FullName;

    [Fact]
    public async Task A_token_whose_CA_hash_is_not_the_server_CA_is_refused_and_nothing_is_installed()
    {
        var real = (await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "agent-token"))).Trim();
        var otherHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("another cloud's CA")));
        var forged = "K10" + otherHash + real[real.IndexOf("::", StringComparison.Ordinal)..];

        var result = await InstallAsync($"--token {forged} --node-name wrong-ca");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("CA", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(otherHash, result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
    }

    [Theory]
    [InlineData("--token not-a-token", "malformed")]
    [InlineData("--token K10abcdef::0123456789abcdef0123", "malformed")]
    [InlineData("--node-name no-token", "--token is required")]
    [InlineData("--token", "--token needs a value")]
    public async Task A_malformed_or_missing_token_is_refused(string arguments, string message)
    {
        var result = await InstallAsync(arguments);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
    }

    [Fact]
    public async Task Without_a_binary_the_download_answers_404_saying_to_set_agent_binary_and_the_script_shows_it()
    {
        using var client = await ClientAsync();
        foreach (var platform in new[] { "linux-amd64", "linux-arm64" })
        {
            using var response = await client.GetAsync($"{server.Url}/downloads/edge-agent/{platform}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("--agent-binary", body, StringComparison.Ordinal);
            Assert.Contains(platform, body, StringComparison.Ordinal);
        }

        using var unknown = await client.GetAsync($"{server.Url}/downloads/edge-agent/windows-amd64");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var token = (await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "agent-token"))).Trim();
        var result = await InstallAsync($"--token {token} --node-name no-binary");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("HTTP 404", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--agent-binary", result.Stderr, StringComparison.Ordinal);
        // The half-downloaded file is gone; no token or unit was written.
        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("x;touch /tmp/pwned")]
    [InlineData("x';touch /tmp/pwned;'")]
    [InlineData("x';id;'")]
    [InlineData("x`id`")]
    [InlineData("x:1;id")]
    [InlineData("[::1;id]:6443")]
    public async Task A_Host_header_that_is_not_a_host_gets_400_and_no_script(string host)
    {
        var response = await RawHttps.GetAsync(server.Port, host, "/install.sh");

        Assert.True(RawHttps.StatusOf(response) == 400, response);
        Assert.DoesNotContain("DEFAULT_SERVER", response, StringComparison.Ordinal);
    }

    // Kestrel lets these through as Host values; the endpoint's own check must refuse them.
    [Theory]
    [InlineData("x$(id)")]
    [InlineData("x$(touch)")]
    [InlineData("-x")]
    [InlineData("x:99999")]
    [InlineData("[1.2.3.4]:6443")]
    public async Task A_Host_header_Kestrel_accepts_but_that_is_not_a_host_is_refused_by_the_endpoint(string host)
    {
        var response = await RawHttps.GetAsync(server.Port, host, "/install.sh");

        Assert.True(RawHttps.StatusOf(response) == 400, response);
        Assert.Contains("install.sh: the Host header", response, StringComparison.Ordinal);
        Assert.DoesNotContain("DEFAULT_SERVER", response, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("edge.example.com:8443", "https://edge.example.com:8443")]
    [InlineData("edge.example.com", "https://edge.example.com")]
    [InlineData("[::1]:6443", "https://[::1]:6443")]
    public async Task The_script_defaults_server_to_the_host_it_was_fetched_from(string host, string expected)
    {
        var response = await RawHttps.GetAsync(server.Port, host, "/install.sh");

        Assert.True(RawHttps.StatusOf(response) == 200, response);
        Assert.Contains("content-type: text/x-shellscript", response, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"\nDEFAULT_SERVER='{expected}'\n", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_served_script_parses_under_dash_and_busybox_sh()
    {
        var script = Path.Combine(_root, "install.sh");
        using (var client = await ClientAsync())
        {
            await File.WriteAllTextAsync(script, await client.GetStringAsync($"{server.Url}/install.sh"));
        }

        foreach (var shell in new[] { "dash -n \"$S\"", "busybox sh -n \"$S\"" })
        {
            if (shell.StartsWith("busybox", StringComparison.Ordinal) && !File.Exists("/usr/bin/busybox") && !File.Exists("/bin/busybox"))
            {
                continue;
            }

            var parsed = await ShellRun.RunAsync(shell, new Dictionary<string, string> { ["S"] = script }, TimeSpan.FromSeconds(10));
            Assert.True(parsed.ExitCode == 0, $"{shell}: {parsed}");
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Task<ShellResult> InstallAsync(string arguments) =>
        ShellRun.RunAsync(InstallCommand, new Dictionary<string, string>
        {
            ["CA"] = server.CaFile,
            ["URL"] = server.Url,
            ["ROOT"] = _root,
            ["ARGS"] = arguments,
        }, TimeSpan.FromSeconds(60));

    private async Task<HttpClient> ClientAsync()
    {
        var kubeconfig = await KubeconfigReader.ReadAsync(server.KubeconfigPath, CancellationToken.None);
        return new HttpClient(CaTrust.CreateHandler(X509Certificate2.CreateFromPem(kubeconfig.CertificateAuthorityPem)));
    }
}
