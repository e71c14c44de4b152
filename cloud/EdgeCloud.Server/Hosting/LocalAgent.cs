using EdgeCloud.Agent;

namespace EdgeCloud.Server.Hosting;

/// <summary>
/// The agent <c>edgecloud up</c> runs beside the server, in the same process: it joins through the server's own
/// tunnel endpoint with DIR/agent-token, exactly as a remote agent would, as node &lt;host name&gt; with the
/// process runtime (pods run as host processes, without isolation), its state in DIR/agent.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class LocalAgent
{
    public static async Task<int> RunAsync(ServerOptions options, EdgeCloudServer server, CancellationToken cancellationToken)
    {
        var node = NodeName(Environment.MachineName);
        var agent = new AgentOptions
        {
            Servers = [server.Address],
            Token = (await File.ReadAllTextAsync(options.AgentTokenPath, cancellationToken)).Trim(),
            NodeName = node,
            DataDirectory = Path.Combine(options.DataDirectory, "agent"),
            Runtime = "process",
        };
        Console.WriteLine($"""
            edgecloud up: local agent joining as node "{node}" (process runtime: pods run as host processes, not isolated)
            next:
              export KUBECONFIG={options.KubeconfigPath}
              kubectl get nodes
              kubectl create deployment hello --image=busybox -- sh -c 'while true; do echo hello; sleep 5; done'
              kubectl get pods -o wide
            """);
        return await AgentHost.RunAsync(agent, cancellationToken);
    }

    /// <summary>The host name as a node name: lower case, characters other than [a-z0-9.-] replaced, "edgecloud" when nothing is left.</summary>
    public static string NodeName(string hostName)
    {
        var name = new string([.. hostName.ToLowerInvariant().Select(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-')]).Trim('-', '.');
        return name.Length == 0 ? "edgecloud" : name[..Math.Min(name.Length, 63)].TrimEnd('-', '.');
    }
}
