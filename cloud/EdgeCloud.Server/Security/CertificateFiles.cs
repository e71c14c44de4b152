namespace EdgeCloud.Server.Security;

/// <summary>Writes key material atomically (temp file, then rename) with owner-only modes for keys, as k3s keeps its TLS directory.</summary>
internal static class CertificateFiles
{
    /// <summary>Creates <paramref name="directory"/> readable by the owner only.</summary>
    public static void EnsurePrivateDirectory(string directory)
    {
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically; mode 0600 when <paramref name="secret"/>, else 0644.</summary>
    public static void WriteAtomically(string path, string text, bool secret)
    {
        var temp = path + ".tmp";
        var mode = secret
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created with the final mode, so the secret is never readable by others, not even briefly.
            fileOptions.UnixCreateMode = mode;
        }

        using (var stream = new FileStream(temp, fileOptions))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, mode);
        }
        File.Move(temp, path, overwrite: true);
    }
}
