using System.Text;

namespace EdgeCloud.Store;

/// <summary>Validation of the names callers pass in: cluster ids, keys and prefixes.</summary>
internal static class StoreKeys
{
    /// <summary>Longest cluster id: a DNS label, as cluster ids appear in URLs and host names.</summary>
    public const int MaxClusterIdLength = 63;

    /// <summary>Refuses anything but a lowercase DNS label (RFC 1123), e.g. <c>default</c> or <c>acme-prod-1</c>.</summary>
    public static void ValidateClusterId(string? clusterId)
    {
        if (string.IsNullOrEmpty(clusterId))
        {
            throw new InvalidStoreRequestException("clusterId", "must not be empty");
        }

        if (clusterId.Length > MaxClusterIdLength)
        {
            throw new InvalidStoreRequestException("clusterId", $"must be at most {MaxClusterIdLength} characters");
        }

        for (var i = 0; i < clusterId.Length; i++)
        {
            var c = clusterId[i];
            var ok = c is >= 'a' and <= 'z' or >= '0' and <= '9' || (c == '-' && i > 0 && i < clusterId.Length - 1);
            if (!ok)
            {
                throw new InvalidStoreRequestException("clusterId", $"\"{clusterId}\" must consist of lowercase letters, digits and '-', and start and end with a letter or digit");
            }
        }
    }

    /// <summary>
    /// Keys are absolute paths of printable ASCII without empty, "." or ".." segments and without a trailing '/',
    /// e.g. <c>/registry/pods/default/web-0</c>.
    /// </summary>
    public static void ValidateKey(string? key, int maxKeyBytes)
    {
        ValidatePath("key", key, maxKeyBytes);
        if (key!.Length > 1 && key[^1] == '/')
        {
            throw new InvalidStoreRequestException("key", $"\"{key}\" must not end with '/'");
        }

        if (key == "/")
        {
            throw new InvalidStoreRequestException("key", "must name something below '/'");
        }
    }

    /// <summary>A prefix is a key or the start of one; it may end with '/'.</summary>
    public static void ValidatePrefix(string? prefix, int maxKeyBytes) => ValidatePath("prefix", prefix, maxKeyBytes);

    /// <summary>The smallest string greater than every string that starts with <paramref name="prefix"/>.</summary>
    public static string PrefixEnd(string prefix)
    {
        // Keys are printable ASCII (at most '~' = 0x7E), so bumping the last character never overflows.
        var chars = prefix.ToCharArray();
        chars[^1]++;
        return new string(chars);
    }

    private static void ValidatePath(string parameter, string? path, int maxKeyBytes)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new InvalidStoreRequestException(parameter, "must not be empty");
        }

        if (path[0] != '/')
        {
            throw new InvalidStoreRequestException(parameter, $"\"{Printable(path)}\" must start with '/'");
        }

        if (path.Length > maxKeyBytes)
        {
            throw new InvalidStoreRequestException(parameter, $"is {path.Length} bytes long; the limit is {maxKeyBytes}");
        }

        foreach (var c in path)
        {
            if (c is < '!' or > '~')
            {
                throw new InvalidStoreRequestException(parameter, $"\"{Printable(path)}\" may contain only printable ASCII characters without spaces");
            }
        }

        var segmentStart = 1;
        for (var i = 1; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] != '/')
            {
                continue;
            }

            var segment = path.AsSpan(segmentStart, i - segmentStart);
            var isLast = i == path.Length;
            if ((segment.Length == 0 && !isLast) || segment is "." || segment is "..")
            {
                throw new InvalidStoreRequestException(parameter, $"\"{Printable(path)}\" must not contain empty, '.' or '..' segments");
            }

            segmentStart = i + 1;
        }
    }

    private static string Printable(string value)
    {
        var builder = new StringBuilder(Math.Min(value.Length, 80));
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, 80)))
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return builder.ToString();
    }
}
