using System.Globalization;
using System.Net;

namespace EdgeCloud.Server.Hosting;

/// <summary>The settings of <c>edgecloud server</c>.</summary>
internal sealed record ServerOptions
{
    /// <summary>Default listen address, as k3s: every interface, port 6443.</summary>
    public const string DefaultListen = "0.0.0.0:6443";

    /// <summary>Where the CA, certificates, kubeconfig and (by default) the SQLite database live. Defaults to ~/.edgecloud.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Host (IP address or name) to listen on.</summary>
    public required string ListenHost { get; init; }

    /// <summary>TCP port; 0 picks a free one (the kubeconfig then names the port actually bound).</summary>
    public required int ListenPort { get; init; }

    /// <summary>"sqlite" (default: a file in the data directory) or a postgres:// URL or Npgsql connection string.</summary>
    public string Datastore { get; init; } = "sqlite";

    /// <summary>Requests one cluster may have in flight (watches excluded) before 429. Defaults to 600.</summary>
    public int MaxRequestsInflight { get; init; } = Api.InflightLimits.DefaultPerCluster;

    /// <summary>Datastore tuning (history bound, compaction schedule); the store's defaults when null.</summary>
    public EdgeCloud.Store.RevisionedStoreOptions? StoreOptions { get; init; }

    /// <summary>The plans tenants can be on and the one new tenants get. Defaults to the built-in plans, new tenants on "free".</summary>
    public Tenancy.PlanCatalog Plans { get; init; } = Tenancy.PlanCatalog.Standard;

    /// <summary>Settings of the controllers (node monitor grace period, eviction, ...).</summary>
    public Controllers.ControllerOptions Controllers { get; init; } = new();

    /// <summary>
    /// The edge-agent files served at /downloads/edge-agent/{platform} for the install script (--agent-binary).
    /// Defaults to none: those downloads answer 404 saying to set --agent-binary.
    /// </summary>
    public Install.AgentBinaries AgentBinaries { get; init; } = Install.AgentBinaries.None;

    /// <summary>The SQLite file when <see cref="Datastore"/> is "sqlite".</summary>
    public string SqlitePath => Path.Combine(DataDirectory, "db", "state.db");

    /// <summary>The admin kubeconfig written on first start.</summary>
    public string KubeconfigPath => Path.Combine(DataDirectory, "kubeconfig.yaml");

    /// <summary>The join token of cluster default, for agents (as K3s writes its node token).</summary>
    public string AgentTokenPath => Path.Combine(DataDirectory, "agent-token");

    /// <summary>The default data directory: ~/.edgecloud.</summary>
    public static string DefaultDataDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".edgecloud");

    /// <summary>Splits "HOST:PORT" ("[::1]:6443" for IPv6); null with <paramref name="error"/> when malformed.</summary>
    public static (string Host, int Port)? ParseListen(string value, out string? error)
    {
        error = null;
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            error = $"--listen \"{value}\" must be HOST:PORT, e.g. 0.0.0.0:6443 or [::1]:6443";
            return null;
        }

        var host = value[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (!int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"--listen \"{value}\": the port must be a number from 0 to 65535";
            return null;
        }

        if (host.Contains(':') && !IPAddress.TryParse(host, out _))
        {
            error = $"--listen \"{value}\": write IPv6 addresses in brackets, e.g. [::1]:6443";
            return null;
        }

        return (host, port);
    }
}
