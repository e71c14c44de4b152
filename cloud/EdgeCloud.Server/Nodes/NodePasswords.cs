using EdgeCloud.Store;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Api;
using EdgeCloud.Kube.Storage;
using EdgeCloud.Server.Api;

namespace EdgeCloud.Server.Nodes;

/// <summary>
/// Node passwords, as K3s keeps them: the first agent to join under a node name sets the password, the cluster
/// keeps only its hash in the Secret kube-system/&lt;node&gt;.node-password, and a later agent claiming that name
/// must present the same password. Agents generate 256-bit random passwords, so a salted fast hash suffices and a
/// reconnect storm after a cloud restart costs no key stretching. Deleting the Secret (with the Node) frees the name.
/// </summary>
internal sealed class NodePasswords(ResourceStore objects, ClusterKinds kinds)
{
    /// <summary>The namespace of the password Secrets.</summary>
    public const string Namespace = "kube-system";

    /// <summary>The Secret type of a node password.</summary>
    public const string SecretType = "edgecloud.io/node-password";

    /// <summary>The name of <paramref name="node"/>'s password Secret.</summary>
    public static string SecretName(string node) => node + ".node-password";

    /// <summary>
    /// True when <paramref name="password"/> is <paramref name="node"/>'s password in <paramref name="cluster"/>,
    /// or the node name is new and the password is now recorded for it; false when another password holds the name.
    /// </summary>
    public async Task<bool> VerifyOrRecordAsync(string cluster, string node, string password, CancellationToken cancellationToken)
    {
        var secrets = kinds.BuiltIn.FindResource("", "v1", "secrets") ?? throw new InvalidOperationException("the Secret kind is not declared");
        var name = SecretName(node);
        if (await objects.TryGetAsync(cluster, secrets, Namespace, name, cancellationToken) is { } existing)
        {
            return Matches(existing, password);
        }

        var salt = RandomNumberGenerator.GetBytes(16);
        var secret = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["edgecloud.io/node"] = node } },
            ["type"] = SecretType,
            ["immutable"] = true,
            ["data"] = new JsonObject
            {
                ["salt"] = Convert.ToBase64String(salt),
                ["hash"] = Convert.ToBase64String(Hash(salt, password)),
            },
        };
        try
        {
            await objects.CreateAsync(cluster, secrets, Namespace, secret, dryRun: false, cancellationToken);
            return true;
        }
        catch (KubeApiException conflict) when (conflict.Code == 409)
        {
            // Another agent (or replica) recorded a password for this name at the same moment: it must be this one.
            var winner = await objects.TryGetAsync(cluster, secrets, Namespace, name, cancellationToken);
            return winner is not null && Matches(winner, password);
        }
    }

    /// <summary>
    /// Whether <paramref name="node"/> of <paramref name="cluster"/> joined before with <paramref name="password"/>;
    /// records nothing (false for an unknown node, or a cluster that no longer exists).
    /// </summary>
    public async Task<bool> VerifyExistingAsync(string cluster, string node, string password, CancellationToken cancellationToken)
    {
        var secrets = kinds.BuiltIn.FindResource("", "v1", "secrets") ?? throw new InvalidOperationException("the Secret kind is not declared");
        try
        {
            return await objects.TryGetAsync(cluster, secrets, Namespace, SecretName(node), cancellationToken) is { } existing && Matches(existing, password);
        }
        catch (ClusterNotFoundException)
        {
            return false;
        }
    }

    private static bool Matches(JsonObject secret, string password)
    {
        var data = secret["data"] as JsonObject;
        if (data?["salt"]?.GetValue<string>() is not { } salt || data["hash"]?.GetValue<string>() is not { } hash)
        {
            return false;
        }

        try
        {
            return CryptographicOperations.FixedTimeEquals(Hash(Convert.FromBase64String(salt), password), Convert.FromBase64String(hash));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static byte[] Hash(byte[] salt, string password)
    {
        var bytes = new byte[salt.Length + Encoding.UTF8.GetByteCount(password)];
        salt.CopyTo(bytes, 0);
        Encoding.UTF8.GetBytes(password, bytes.AsSpan(salt.Length));
        return SHA256.HashData(bytes);
    }
}
