namespace EdgeCloud.Agent;

/// <summary>How one agent runs: where it dials, who it is, where it keeps its state and which runtime it uses.</summary>
internal sealed record AgentOptions
{
    /// <summary>The cloud's base URLs (https://host:port), tried in order with failover.</summary>
    public required IReadOnlyList<Uri> Servers { get; init; }

    /// <summary>The join token (K10&lt;ca-hash&gt;::&lt;secret&gt;).</summary>
    public required string Token { get; init; }

    /// <summary>The Node's name (a DNS subdomain).</summary>
    public required string NodeName { get; init; }

    /// <summary>Where the node password, the pinned CA, the pod cache and the pods' directories live.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>"process" (host processes) or "docker" (a Docker Engine API on a unix socket).</summary>
    public string Runtime { get; init; } = "process";

    /// <summary>The Docker Engine API socket for the docker runtime. Defaults to /var/run/docker.sock.</summary>
    public string DockerSocket { get; init; } = "/var/run/docker.sock";

    /// <summary>Labels the node registers with (topology.kubernetes.io/zone and /region among them when given).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The node Lease's duration. Defaults to 40 s, as kubelet's.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>First delay before redialling the cloud. Defaults to 1 s.</summary>
    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between redials. Defaults to 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    public string NodePasswordPath => Path.Combine(DataDirectory, "node-password");

    /// <summary>Where the id of the joined cluster is kept (see <see cref="Join.JoinedCluster"/>).</summary>
    public string JoinedClusterPath => Path.Combine(DataDirectory, "cluster");

    public string PinnedCaPath => Path.Combine(DataDirectory, "server-ca.crt");

    public string CachePath => Path.Combine(DataDirectory, "pods.db");

    public string PodsDirectory => Path.Combine(DataDirectory, "pods");

    /// <summary>
    /// Parses --labels k=v,k2=v2; returns null with <paramref name="error"/> set when a pair has no '=' or an empty key.
    /// </summary>
    public static Dictionary<string, string>? ParseLabels(string? text, out string? error)
    {
        error = null;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return labels;
        }

        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                error = $"--labels: \"{pair}\" is not key=value";
                return null;
            }

            labels[pair[..eq]] = pair[(eq + 1)..];
        }

        return labels;
    }

    /// <summary>Parses --server URL[,URL...]; each must be an absolute https:// (or http://) URL.</summary>
    public static List<Uri>? ParseServers(string? text, out string? error)
    {
        error = null;
        var servers = new List<Uri>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                error = $"--server: \"{part}\" is not an https:// URL";
                return null;
            }

            servers.Add(uri);
        }

        if (servers.Count == 0)
        {
            error = "--server is required: the cloud's URL, e.g. https://edgecloud.example.com:6443";
            return null;
        }

        return servers;
    }
}
