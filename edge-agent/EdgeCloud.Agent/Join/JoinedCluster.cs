namespace EdgeCloud.Agent.Join;

/// <summary>
/// The cluster this node joined, kept in the data directory after the first successful contact and sent with
/// every later handshake (X-EdgeCloud-Cluster). With it the cloud recognises an already joined node by its node
/// password alone, so rotating or revoking the join token stops new joins without cutting off joined nodes, as
/// the issue asks and as K3s' node passwords behave.
/// </summary>
internal sealed class JoinedCluster(string path)
{
    private string? _cluster = Read(path);

    /// <summary>The cluster id, or null before the first join.</summary>
    public string? Current => Volatile.Read(ref _cluster);

    /// <summary>Remembers <paramref name="cluster"/> (written atomically; a no-op when it is already the one kept).</summary>
    public async Task RememberAsync(string cluster, CancellationToken cancellationToken)
    {
        if (Current == cluster)
        {
            return;
        }

        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, cluster + "\n", cancellationToken);
        File.Move(temporary, path, overwrite: true);
        Volatile.Write(ref _cluster, cluster);
    }

    private static string? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var text = File.ReadAllText(path).Trim();
        return text.Length is > 0 and <= 63 ? text : null;
    }
}
