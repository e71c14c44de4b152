using System.Globalization;
using System.Reflection;

namespace EdgeCloud.Server.Hosting;

/// <summary>What /version reports about this build: the commit (from the informational version the SDK stamps) and the build time.</summary>
internal static class BuildInfo
{
    private static readonly Assembly Self = typeof(BuildInfo).Assembly;

    /// <summary>The source commit, or "unknown" when the build did not record one.</summary>
    public static string Commit { get; } =
        Self.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+') is [_, var commit, ..] ? commit : "unknown";

    /// <summary>When the assembly was written, in RFC 3339 as Kubernetes prints it.</summary>
    public static string Date { get; } =
        (string.IsNullOrEmpty(Self.Location) ? DateTime.UnixEpoch : File.GetLastWriteTimeUtc(Self.Location)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
