namespace EdgeCloud.Server.Security;

/// <summary>
/// Writes key material so that a reader never sees a half-written file and a private key is never
/// readable by other users, not even for the moment between creating and restricting it.
/// </summary>
internal static class SecureFile
{
    /// <summary>Owner read/write: private keys and the kubeconfig (k3s writes its keys and kubeconfig 0600 too).</summary>
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner read/write, everyone read: certificates are public.</summary>
    public const UnixFileMode PublicFile = PrivateFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Owner only: the directory that holds private keys.</summary>
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> if missing and restricts it to its owner.</summary>
    public static void EnsurePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, PrivateDirectory);
        // An existing directory keeps whatever mode it had; a key directory others can list is still a leak.
        File.SetUnixFileMode(path, PrivateDirectory);
    }

    /// <summary>
    /// Creates <paramref name="path"/> owner-only if it is missing; an existing directory keeps its mode, since
    /// it may be one the operator chose and shares (a data directory given as <c>--data-dir .</c>).
    /// </summary>
    public static void CreatePrivateDirectoryIfMissing(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, PrivateDirectory);
        }
    }

    /// <summary>
    /// Writes <paramref name="contents"/> to a temporary file beside <paramref name="path"/>, with
    /// <paramref name="mode"/> from the start, flushes it to disk, then renames it over <paramref name="path"/>.
    /// </summary>
    public static async Task WriteAtomicallyAsync(string path, ReadOnlyMemory<byte> contents, UnixFileMode mode, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        CreatePrivateDirectoryIfMissing(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        try
        {
            await using (var stream = new FileStream(temporary, options))
            {
                await stream.WriteAsync(contents, cancellationToken);
                // Renaming before the data is durable could leave an empty key file after a power loss.
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                // The create mode is filtered by the umask; the mode asked for is the mode wanted.
                File.SetUnixFileMode(temporary, mode);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            throw;
        }
    }
}
