using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using EdgeCloud.Agent;
using EdgeCloud.Agent.Cloud;
using EdgeCloud.Agent.Join;
using EdgeCloud.Agent.Streams;
using EdgeCloud.Server.Hosting;
using EdgeCloud.Server.Nodes;
using EdgeCloud.Server.Security;
using EdgeCloud.Store;
using EdgeCloud.Tunnel;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeCloud.Server.Tests.NodeProxy;

/// <summary>
/// An in-process EdgeCloud server and one agent end joined to it through its agent tunnel endpoint (join token, node
/// name and password): the agent's <see cref="CloudConnection"/> for node <see cref="NodeName"/> runs the agent's
/// <see cref="PodStreamHandler"/> over a <see cref="ShellRuntime"/>. Node <see cref="OfflineNode"/> exists in the
/// API but has no session.
/// </summary>
public sealed class NodeProxyServer : IAsyncLifetime
{
    public const string NodeName = "edge-1";
    public const string OfflineNode = "edge-offline";

    private EdgeCloudServer? _server;
    private CloudConnection? _agent;

    /// <summary>The temporary data directory.</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "edgecloud-np-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The admin kubeconfig.</summary>
    public string KubeconfigPath => Path.Combine(DataDirectory, "kubeconfig.yaml");

    /// <summary>The agent's runtime: tests start the containers of their pods here.</summary>
    internal ShellRuntime Runtime { get; } = new();

    public async ValueTask InitializeAsync()
    {
        _server = await EdgeCloudServer.StartAsync(
            new ServerOptions
            {
                DataDirectory = DataDirectory,
                ListenHost = "127.0.0.1",
                ListenPort = 0,
                StoreOptions = new RevisionedStoreOptions { CompactionInterval = TimeSpan.FromHours(1) },
            },
            CancellationToken.None);
        var tunnels = _server.NodeTunnels;

        // The agent end joins as the agent does (its CloudConnection: join token, pinned CA, node password) through
        // the real agent tunnel endpoint, with the node stream handler on the session.
        var agentDirectory = Path.Combine(DataDirectory, "agent");
        Directory.CreateDirectory(agentDirectory);
        var options = new AgentOptions
        {
            Servers = [_server.Address],
            Token = (await File.ReadAllTextAsync(Path.Combine(DataDirectory, "agent-token"))).Trim(),
            NodeName = NodeName,
            DataDirectory = agentDirectory,
        };
        var token = JoinToken.Parse(options.Token, out _)!;
        var trust = await ServerTrust.LoadOrPinAsync(options.PinnedCaPath, token, options.Servers, CancellationToken.None);
        var password = await NodePassword.LoadOrCreateAsync(options.NodePasswordPath, CancellationToken.None);
        var handler = new PodStreamHandler(Runtime, TimeProvider.System, NullLogger<PodStreamHandler>.Instance);
        _agent = new CloudConnection(options, token, password, new JoinedCluster(options.JoinedClusterPath), trust, handler.HandleAsync, null, TimeProvider.System, NullLoggerFactory.Instance);
        _agent.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tunnels.Registry.WaitForSessionAsync(NodeTunnels.IdentityOf("default", NodeName), timeout.Token);

        using var client = Client();
        foreach (var node in (string[])[NodeName, OfflineNode])
        {
            var created = await client.PostAsJsonAsync("api/v1/nodes", new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["metadata"] = new JsonObject { ["name"] = node },
            });
            created.EnsureSuccessStatusCode();
        }
    }

    /// <summary>The agent's HTTP client to the API over its tunnel, with the node's own identity.</summary>
    internal HttpClient NodeHttp => (_agent ?? throw new InvalidOperationException("not started")).Http;

    /// <summary>The CA certificate (PEM) of the server.</summary>
    public string CaPem => (_server ?? throw new InvalidOperationException("not started")).CaPem;

    /// <summary>kubectl of <paramref name="version"/> against the server.</summary>
    internal EndToEnd.Kubectl Kubectl(string version) => new(version, KubeconfigPath);

    /// <summary>An HTTP client for the default cluster's API with the admin token.</summary>
    public HttpClient Client()
    {
        var server = _server ?? throw new InvalidOperationException("not started");
        var token = KubeconfigReader.ReadAsync(KubeconfigPath, CancellationToken.None).GetAwaiter().GetResult().Token;
        var client = new HttpClient(CaTrust.CreateHandler(X509Certificate2.CreateFromPem(server.CaPem))) { BaseAddress = new Uri(server.Address, "/clusters/default/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Creates pod <paramref name="name"/> bound to <paramref name="node"/> with <paramref name="containers"/> (busybox images; never run by the server).</summary>
    public async Task CreatePodAsync(string name, string node, string[] containers, string? defaultContainer = null)
    {
        using var client = Client();
        var metadata = new JsonObject { ["name"] = name };
        if (defaultContainer is not null)
        {
            metadata["annotations"] = new JsonObject { ["kubectl.kubernetes.io/default-container"] = defaultContainer };
        }

        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["nodeName"] = node,
                ["containers"] = new JsonArray([.. containers.Select(static c => (JsonNode)new JsonObject { ["name"] = c, ["image"] = "busybox" })]),
            },
        };
        var created = await client.PostAsJsonAsync("api/v1/namespaces/default/pods", pod);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        await Runtime.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
