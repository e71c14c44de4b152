using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace EdgeCloud.Server.Security;

/// <summary>Reads the current context of a kubeconfig file back into a <see cref="ClusterKubeconfig"/>.</summary>
public static class KubeconfigReader
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .IgnoreUnmatchedProperties()
        .Build();

    /// <summary>Reads <paramref name="path"/>; see <see cref="Parse"/>.</summary>
    public static async Task<ClusterKubeconfig> ReadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken));
    }

    /// <summary>
    /// The cluster and user that <c>current-context</c> selects. The cluster name is the context name without the
    /// <c>edgecloud-</c> prefix.
    /// </summary>
    /// <exception cref="FormatException">The YAML is malformed, or the current context, its cluster or its user is missing.</exception>
    public static ClusterKubeconfig Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        KubeconfigDocument? document;
        try
        {
            document = Deserializer.Deserialize<KubeconfigDocument>(yaml);
        }
        catch (YamlException exception)
        {
            throw new FormatException($"The kubeconfig is not valid YAML: {exception.Message}", exception);
        }

        if (document?.CurrentContext is not { Length: > 0 } contextName)
        {
            throw new FormatException("The kubeconfig has no current-context.");
        }

        var context = document.Contexts.FirstOrDefault(entry => entry.Name == contextName)?.Context
            ?? throw new FormatException($"The kubeconfig has no context named '{contextName}'.");
        var cluster = document.Clusters.FirstOrDefault(entry => entry.Name == context.Cluster)?.Cluster
            ?? throw new FormatException($"The kubeconfig has no cluster named '{context.Cluster}'.");
        var user = document.Users.FirstOrDefault(entry => entry.Name == context.User)?.User
            ?? throw new FormatException($"The kubeconfig has no user named '{context.User}'.");

        string certificateAuthorityPem;
        try
        {
            certificateAuthorityPem = Encoding.ASCII.GetString(Convert.FromBase64String(cluster.CertificateAuthorityData ?? ""));
        }
        catch (FormatException exception)
        {
            throw new FormatException($"The certificate-authority-data of cluster '{context.Cluster}' is not base64.", exception);
        }

        return new ClusterKubeconfig
        {
            ClusterName = contextName.StartsWith(ClusterKubeconfig.EntryNamePrefix, StringComparison.Ordinal)
                ? contextName[ClusterKubeconfig.EntryNamePrefix.Length..]
                : contextName,
            Server = cluster.Server ?? throw new FormatException($"The cluster '{context.Cluster}' has no server."),
            CertificateAuthorityPem = certificateAuthorityPem,
            Token = user.Token ?? throw new FormatException($"The user '{context.User}' has no token."),
        };
    }
}
