using System.Text;
using YamlDotNet.Serialization;

namespace EdgeCloud.Server.Security;

/// <summary>Writes a <see cref="ClusterKubeconfig"/> as a kubeconfig file that kubectl and client-go read.</summary>
public static class KubeconfigWriter
{
    /// <summary>File name of the admin kubeconfig in the data directory.</summary>
    public const string AdminFileName = "kubeconfig.yaml";

    private static readonly ISerializer Serializer = new SerializerBuilder()
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        // A token of digits or "true" must stay a string; YAML would otherwise read it back as a number or a bool.
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .Build();

    /// <summary>
    /// Writes <paramref name="kubeconfig"/> to <paramref name="path"/> (mode 0600, since the token is a credential),
    /// replacing any file there atomically.
    /// </summary>
    public static async Task WriteAsync(string path, ClusterKubeconfig kubeconfig, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(kubeconfig);
        var bytes = Encoding.UTF8.GetBytes(Serialize(kubeconfig));
        await SecureFile.WriteAtomicallyAsync(path, bytes, SecureFile.PrivateFile, cancellationToken);
    }

    /// <summary>
    /// Writes <paramref name="kubeconfig"/> to <paramref name="path"/> unless a file is already there: the
    /// first start writes the admin kubeconfig, later starts leave it (and whatever the operator did to it) alone.
    /// </summary>
    /// <returns>True when the file was written.</returns>
    public static async Task<bool> WriteIfMissingAsync(string path, ClusterKubeconfig kubeconfig, CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            return false;
        }

        await WriteAsync(path, kubeconfig, cancellationToken);
        return true;
    }

    /// <summary>The kubeconfig YAML for <paramref name="kubeconfig"/>: one cluster, one user, one context, selected.</summary>
    public static string Serialize(ClusterKubeconfig kubeconfig)
    {
        ArgumentNullException.ThrowIfNull(kubeconfig);
        var name = kubeconfig.EntryName;
        var document = new KubeconfigDocument
        {
            Clusters =
            [
                new()
                {
                    Name = name,
                    Cluster = new()
                    {
                        // client-go base64-decodes certificate-authority-data to PEM bytes.
                        CertificateAuthorityData = Convert.ToBase64String(Encoding.ASCII.GetBytes(kubeconfig.CertificateAuthorityPem)),
                        Server = kubeconfig.Server,
                    },
                },
            ],
            Contexts = [new() { Name = name, Context = new() { Cluster = name, User = name } }],
            CurrentContext = name,
            Users = [new() { Name = name, User = new() { Token = kubeconfig.Token } }],
        };
        return Serializer.Serialize(document);
    }
}
