using System.Diagnostics;
using EdgeCloud.Server.Hosting;
using EdgeCloud.Server.Tests.EndToEnd;

namespace EdgeCloud.Server.Tests.Agents;

/// <summary><c>edgecloud up</c>: the server and a local agent in one process; a Ready node within 15 s of the printed next steps.</summary>
public sealed class EdgecloudUpTests
{
    [Fact]
    public async Task Edgecloud_up_prints_the_next_commands_and_its_node_is_Ready_within_15_s()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "edgecloud-up-" + Guid.NewGuid().ToString("N")[..12]);
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "edgecloud"))
        {
            ArgumentList = { "up", "--data-dir", dataDir, "--listen", "127.0.0.1:0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            var printed = new List<string>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                printed.Add(line);
                if (line.Contains("kubectl get pods -o wide", StringComparison.Ordinal))
                {
                    break;
                }
            }

            var text = string.Join('\n', printed);
            Assert.Contains($"export KUBECONFIG={Path.Combine(dataDir, "kubeconfig.yaml")}", text, StringComparison.Ordinal);
            Assert.Contains("kubectl get nodes", text, StringComparison.Ordinal);
            var clock = Stopwatch.StartNew();
            _ = process.StandardOutput.ReadToEndAsync();

            var node = LocalAgent.NodeName(Environment.MachineName);
            using var api = await AdminApi.OpenAsync(Path.Combine(dataDir, "kubeconfig.yaml"));
            await api.WaitForAsync("api/v1/nodes", n => n["metadata"]!["name"]!.GetValue<string>() == node && AdminApi.IsReady(n), TimeSpan.FromSeconds(15), $"node {node} Ready");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15));
            var nodes = await new Kubectl("1.33", Path.Combine(dataDir, "kubeconfig.yaml")).OkAsync("get", "nodes");
            Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(node)}\s+Ready", nodes);

            // SIGTERM (systemd stop, Ctrl+C) stops the server and the agent with it: the process exits.
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(exited.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            _ = await errors;
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Theory]
    [InlineData("Factory-GW_07", "factory-gw-07")]
    [InlineData("___", "edgecloud")]
    [InlineData("edge.local", "edge.local")]
    public void The_local_node_is_named_after_the_host_name_as_a_DNS_subdomain(string host, string expected) =>
        Assert.Equal(expected, LocalAgent.NodeName(host));
}
