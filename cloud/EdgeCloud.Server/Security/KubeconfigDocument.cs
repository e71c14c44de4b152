using YamlDotNet.Serialization;

namespace EdgeCloud.Server.Security;

/// <summary>
/// The subset of client-go's kubeconfig format (<c>clientcmd/api/v1</c> <c>Config</c>) EdgeCloud writes and reads.
/// Keys are spelled as on the wire.
/// </summary>
internal sealed class KubeconfigDocument
{
    [YamlMember(Alias = "apiVersion", Order = 0)]
    public string ApiVersion { get; set; } = "v1";

    [YamlMember(Alias = "kind", Order = 1)]
    public string Kind { get; set; } = "Config";

    [YamlMember(Alias = "clusters", Order = 2)]
    public List<NamedCluster> Clusters { get; set; } = [];

    [YamlMember(Alias = "contexts", Order = 3)]
    public List<NamedContext> Contexts { get; set; } = [];

    [YamlMember(Alias = "current-context", Order = 4)]
    public string? CurrentContext { get; set; }

    [YamlMember(Alias = "preferences", Order = 5)]
    public Dictionary<string, object> Preferences { get; set; } = [];

    [YamlMember(Alias = "users", Order = 6)]
    public List<NamedUser> Users { get; set; } = [];

    public sealed class NamedCluster
    {
        [YamlMember(Alias = "name", Order = 0)]
        public string? Name { get; set; }

        [YamlMember(Alias = "cluster", Order = 1)]
        public ClusterEntry? Cluster { get; set; }
    }

    public sealed class ClusterEntry
    {
        [YamlMember(Alias = "certificate-authority-data", Order = 0)]
        public string? CertificateAuthorityData { get; set; }

        [YamlMember(Alias = "server", Order = 1)]
        public string? Server { get; set; }
    }

    public sealed class NamedContext
    {
        [YamlMember(Alias = "name", Order = 0)]
        public string? Name { get; set; }

        [YamlMember(Alias = "context", Order = 1)]
        public ContextEntry? Context { get; set; }
    }

    public sealed class ContextEntry
    {
        [YamlMember(Alias = "cluster", Order = 0)]
        public string? Cluster { get; set; }

        [YamlMember(Alias = "user", Order = 1)]
        public string? User { get; set; }
    }

    public sealed class NamedUser
    {
        [YamlMember(Alias = "name", Order = 0)]
        public string? Name { get; set; }

        [YamlMember(Alias = "user", Order = 1)]
        public UserEntry? User { get; set; }
    }

    public sealed class UserEntry
    {
        [YamlMember(Alias = "token", Order = 0)]
        public string? Token { get; set; }
    }
}
