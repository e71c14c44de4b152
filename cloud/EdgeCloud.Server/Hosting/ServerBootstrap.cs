using System.Text.Json.Nodes;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Server.Api;
using EdgeCloud.Server.Security;
using EdgeCloud.Store;

namespace EdgeCloud.Server.Hosting;

/// <summary>
/// What a start does before kubectl connects: the default cluster with its system namespaces, and the admin
/// kubeconfig. Every step is idempotent, so restarts and several replicas over one datastore agree.
/// </summary>
internal sealed partial class ServerBootstrap(
    IRevisionedStore store, ResourceStore objects, BearerTokens tokens, Nodes.JoinTokens joinTokens, ClusterKinds kinds, Controllers.ControllerManager controllers, ILogger<ServerBootstrap> logger)
{
    /// <summary>The cluster created on first start, as k3s has exactly one.</summary>
    public const string DefaultCluster = "default";

    /// <summary>The namespaces every Kubernetes cluster starts with.</summary>
    public static readonly IReadOnlyList<string> SystemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>Runs the bootstrap for a server reachable at <paramref name="address"/>.</summary>
    public async Task RunAsync(ServerOptions options, Uri address, string caPem, CancellationToken cancellationToken)
    {
        await tokens.InitializeAsync(cancellationToken);
        await store.CreateClusterAsync(DefaultCluster, cancellationToken);
        await EnsureNamespacesAsync(DefaultCluster, cancellationToken);
        await controllers.StartAsync(cancellationToken);
        await controllers.AddClusterAsync(DefaultCluster, cancellationToken);
        await WriteKubeconfigAsync(options, address, caPem, cancellationToken);
        await WriteAgentTokenAsync(options, caPem, cancellationToken);
    }

    /// <summary>
    /// Writes DIR/agent-token, the join token of cluster default, keeping the existing one while it is valid and
    /// carries the current CA's hash (agents installed with it keep working across restarts).
    /// </summary>
    private async Task WriteAgentTokenAsync(ServerOptions options, string caPem, CancellationToken cancellationToken)
    {
        var existing = File.Exists(options.AgentTokenPath) ? (await File.ReadAllTextAsync(options.AgentTokenPath, cancellationToken)).Trim() : null;
        if (existing is not null
            && Nodes.JoinTokens.Parse(existing) is { } parsed
            && parsed.CaHash == Nodes.JoinTokens.CaHash(caPem)
            && await joinTokens.FindClusterAsync(existing, cancellationToken) == DefaultCluster)
        {
            return;
        }

        var token = await joinTokens.IssueAsync(DefaultCluster, caPem, cancellationToken);
        await SecureFile.WriteAtomicallyAsync(options.AgentTokenPath, System.Text.Encoding.UTF8.GetBytes(token + "\n"), SecureFile.PrivateFile, cancellationToken);
        LogAgentToken(logger, options.AgentTokenPath);
    }

    /// <summary>Creates the system namespaces of <paramref name="cluster"/> that do not exist yet.</summary>
    public async Task EnsureNamespacesAsync(string cluster, CancellationToken cancellationToken)
    {
        var namespaces = kinds.BuiltIn.FindResource("", "v1", "namespaces") ?? throw new InvalidOperationException("the Namespace kind is not declared");
        foreach (var name in SystemNamespaces)
        {
            if (await objects.TryGetAsync(cluster, namespaces, null, name, cancellationToken) is not null)
            {
                continue;
            }

            var ns = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") }, ["status"] = new JsonObject { ["phase"] = "Active" } };
            try
            {
                await objects.CreateAsync(cluster, namespaces, null, ns, dryRun: false, cancellationToken);
            }
            catch (Kube.Api.KubeApiException error) when (error.Code == 409)
            {
                // Another replica created it first.
            }
        }
    }

    private async Task WriteKubeconfigAsync(ServerOptions options, Uri address, string caPem, CancellationToken cancellationToken)
    {
        var server = new Uri(address, "/clusters/" + DefaultCluster).ToString();
        // Keep the token of an existing kubeconfig while it is still valid: only its hash is stored, so a new
        // start cannot write it again otherwise. The server URL is refreshed (the port may have changed).
        var token = await ExistingTokenAsync(options.KubeconfigPath, cancellationToken) is { } existing
                    && await tokens.FindAsync(existing, cancellationToken) is { Cluster: DefaultCluster }
            ? existing
            : await tokens.IssueAsync(new TokenIdentity(DefaultCluster, "admin", ["system:masters"]), cancellationToken);
        await KubeconfigWriter.WriteAsync(
            options.KubeconfigPath,
            new ClusterKubeconfig { ClusterName = DefaultCluster, Server = server, CertificateAuthorityPem = caPem, Token = token },
            cancellationToken);
        LogKubeconfig(logger, options.KubeconfigPath, server);
    }

    /// <summary>The token of the kubeconfig at <paramref name="path"/>, or null when there is none or it does not parse.</summary>
    private static async Task<string?> ExistingTokenAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return (await KubeconfigReader.ReadAsync(path, cancellationToken)).Token;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "agent join token written to {Path}")]
    private static partial void LogAgentToken(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "admin kubeconfig {Path} points at {Server}")]
    private static partial void LogKubeconfig(ILogger logger, string path, string server);
}
