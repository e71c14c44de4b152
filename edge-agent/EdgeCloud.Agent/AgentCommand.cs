using System.CommandLine;

namespace EdgeCloud.Agent;

/// <summary>
/// The <c>edge-agent</c> command line:
/// <c>edge-agent --server URL[,URL...] (--token TOKEN | --token-file FILE) --node-name NAME --data-dir DIR [--runtime process|docker] [--docker-socket PATH] [--labels k=v,...]</c>.
/// </summary>
internal static class AgentCommand
{
    public static RootCommand Create()
    {
        var server = new Option<string>("--server") { Description = "The cloud's URL, https://HOST:PORT; several, comma-separated, for failover" };
        var token = new Option<string>("--token") { Description = "The join token (edgecloud server writes it to DIR/agent-token)" };
        var tokenFile = new Option<string>("--token-file") { Description = "A file holding the join token" };
        var nodeName = new Option<string>("--node-name") { Description = "The node's name (default: the host name)" };
        var dataDir = new Option<string>("--data-dir") { Description = "Where the agent keeps its node password, pinned CA, pod cache and pod directories (default /var/lib/edge-agent)" };
        var runtime = new Option<string>("--runtime") { Description = "process (host processes, no isolation) or docker (a Docker Engine API such as Docker or podman system service)" };
        var dockerSocket = new Option<string>("--docker-socket") { Description = "The Docker Engine API unix socket for --runtime docker (default /var/run/docker.sock)" };
        var labels = new Option<string>("--labels") { Description = "Node labels, k=v,k2=v2 (e.g. topology.kubernetes.io/zone=...)" };
        var root = new RootCommand("EdgeCloud edge agent: dials out to the cloud, registers this node and runs the pods bound to it, also while offline")
        {
            server, token, tokenFile, nodeName, dataDir, runtime, dockerSocket, labels,
        };
        root.SetAction(async (parse, cancellationToken) =>
        {
            var options = await ReadOptionsAsync(parse, server, token, tokenFile, nodeName, dataDir, runtime, dockerSocket, labels, cancellationToken);
            if (options is null)
            {
                return 2;
            }

            return await AgentHost.RunAsync(options, cancellationToken);
        });
        return root;
    }

    private static async Task<AgentOptions?> ReadOptionsAsync(
        ParseResult parse, Option<string> server, Option<string> token, Option<string> tokenFile, Option<string> nodeName,
        Option<string> dataDir, Option<string> runtime, Option<string> dockerSocket, Option<string> labels, CancellationToken cancellationToken)
    {
        if (AgentOptions.ParseServers(parse.GetValue(server), out var error) is not { } servers
            || AgentOptions.ParseLabels(parse.GetValue(labels), out error) is not { } nodeLabels)
        {
            await Console.Error.WriteLineAsync($"edge-agent: {error}");
            return null;
        }

        var joinToken = parse.GetValue(token);
        if (parse.GetValue(tokenFile) is { } file)
        {
            if (joinToken is not null)
            {
                await Console.Error.WriteLineAsync("edge-agent: give --token or --token-file, not both");
                return null;
            }

            try
            {
                joinToken = (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"edge-agent: cannot read --token-file {file}: {e.Message}");
                return null;
            }
        }

        if (string.IsNullOrEmpty(joinToken))
        {
            await Console.Error.WriteLineAsync("edge-agent: --token or --token-file is required (edgecloud server writes the token to DIR/agent-token)");
            return null;
        }

        var kind = parse.GetValue(runtime) ?? "process";
        if (kind is not ("process" or "docker"))
        {
            await Console.Error.WriteLineAsync($"edge-agent: --runtime must be process or docker, not \"{kind}\"");
            return null;
        }

        var name = parse.GetValue(nodeName) ?? Environment.MachineName.ToLowerInvariant();
        return new AgentOptions
        {
            Servers = servers,
            Token = joinToken,
            NodeName = name,
            DataDirectory = Path.GetFullPath(parse.GetValue(dataDir) ?? "/var/lib/edge-agent"),
            Runtime = kind,
            DockerSocket = parse.GetValue(dockerSocket) ?? "/var/run/docker.sock",
            Labels = nodeLabels,
        };
    }
}
