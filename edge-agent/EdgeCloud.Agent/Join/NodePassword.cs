using System.Security.Cryptography;

namespace EdgeCloud.Agent.Join;

/// <summary>
/// The node password: generated once, kept owner-only in the data directory, presented at every handshake. The
/// cloud keeps only its hash and refuses another agent that claims this node name with a different password
/// (K3s keeps /etc/rancher/node/password the same way).
/// </summary>
internal static class NodePassword
{
    /// <summary>Reads the password at <paramref name="path"/>, creating a random one (0600) when there is none.</summary>
    public static async Task<string> LoadOrCreateAsync(string path, CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            var existing = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
            if (existing.Length >= 16)
            {
                return existing;
            }

            throw new InvalidDataException($"{path} holds no usable node password (it is shorter than 16 characters); restore it, or delete it together with the node's Secret kube-system/<node>.node-password");
        }

        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var temporary = path + ".tmp";
        await using (var file = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            await file.WriteAsync(System.Text.Encoding.ASCII.GetBytes(password + "\n"), cancellationToken);
            await file.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: false);
        return password;
    }
}
