using System.Text;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace EdgeCloud.Server.Security;

/// <summary>
/// The admin kubeconfig the server writes: one cluster (server URL, CA embedded), one user with a bearer token,
/// one context, selected; mode 0600 because it holds a credential.
/// </summary>
internal static class Kubeconfig
{
    /// <summary>Writes the kubeconfig of <paramref name="cluster"/> to <paramref name="path"/>, replacing any.</summary>
    public static void Write(string path, string cluster, string server, string caPem, string token)
    {
        var name = "edgecloud-" + cluster;
        var document = new Dictionary<string, object>
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Config",
            ["clusters"] = new[] { new Dictionary<string, object> { ["name"] = name, ["cluster"] = new Dictionary<string, object> { ["server"] = server, ["certificate-authority-data"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem)) } } },
            ["users"] = new[] { new Dictionary<string, object> { ["name"] = name, ["user"] = new Dictionary<string, object> { ["token"] = token } } },
            ["contexts"] = new[] { new Dictionary<string, object> { ["name"] = name, ["context"] = new Dictionary<string, object> { ["cluster"] = name, ["user"] = name } } },
            ["current-context"] = name,
            ["preferences"] = new Dictionary<string, object>(),
        };
        var yaml = new SerializerBuilder().Build().Serialize(document);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        CertificateFiles.WriteAtomically(path, yaml, secret: true);
    }

    /// <summary>The token of the first user of the kubeconfig at <paramref name="path"/>, or null when there is none or the file does not parse.</summary>
    public static string? TryReadToken(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var stream = new YamlStream();
            using var reader = new StringReader(File.ReadAllText(path));
            stream.Load(reader);
            var root = (YamlMappingNode)stream.Documents[0].RootNode;
            var users = (YamlSequenceNode)root.Children[new YamlScalarNode("users")];
            var user = (YamlMappingNode)((YamlMappingNode)users.Children[0]).Children[new YamlScalarNode("user")];
            return ((YamlScalarNode)user.Children[new YamlScalarNode("token")]).Value;
        }
        catch (Exception error) when (error is YamlDotNet.Core.YamlException or InvalidCastException or KeyNotFoundException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
