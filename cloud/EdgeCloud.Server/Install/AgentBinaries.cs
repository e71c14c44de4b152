using System.Runtime.InteropServices;

namespace EdgeCloud.Server.Install;

/// <summary>
/// The edge-agent files the server hands out at /downloads/edge-agent/{platform}, by platform (linux-amd64,
/// linux-arm64). Set with <c>--agent-binary [PLATFORM=]PATH</c> (a bare PATH is for the server's own platform); by
/// default, a single-file <c>edge-agent</c> beside the edgecloud executable.
/// </summary>
internal sealed class AgentBinaries
{
    /// <summary>The platforms the install script asks for, as it names them (uname -m mapped to Go/K3s names).</summary>
    public static readonly IReadOnlyList<string> Platforms = ["linux-amd64", "linux-arm64"];

    private const string FileName = "edge-agent";

    private readonly Dictionary<string, string> _paths;

    private AgentBinaries(Dictionary<string, string> paths) => _paths = paths;

    /// <summary>No binaries: every download answers 404 with the fix.</summary>
    public static AgentBinaries None { get; } = new([]);

    /// <summary>The platform of this server's own executable (what a bare --agent-binary PATH and the default are for).</summary>
    public static string OwnPlatform => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-amd64";

    /// <summary>The platforms that have a file, with their full paths.</summary>
    public IReadOnlyDictionary<string, string> Paths => _paths;

    /// <summary>The file for <paramref name="platform"/>, or null when none was configured.</summary>
    public string? PathOf(string platform) => _paths.GetValueOrDefault(platform);

    /// <summary>
    /// Reads the --agent-binary values (<c>PATH</c> or <c>PLATFORM=PATH</c>), each of which must name an existing file;
    /// without any, the default <c>edge-agent</c> in <paramref name="executableDirectory"/> when it is a single file.
    /// Null with <paramref name="error"/> saying how to fix a value.
    /// </summary>
    public static AgentBinaries? Parse(IReadOnlyList<string> values, string executableDirectory, out string? error)
    {
        error = null;
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var (platform, path) = Split(value);
            if (platform is null)
            {
                error = $"--agent-binary \"{value}\": the platform before '=' must be one of {string.Join(", ", Platforms)}";
                return null;
            }

            if (!File.Exists(path))
            {
                error = $"--agent-binary \"{value}\": {path} is not a file; publish the agent with `dotnet publish edge-agent/EdgeCloud.Agent -c Release -r linux-x64` (linux-arm64 for arm64) and give the edge-agent file it writes";
                return null;
            }

            paths[platform] = Path.GetFullPath(path);
        }

        if (values.Count == 0 && DefaultBeside(executableDirectory) is { } found)
        {
            paths[OwnPlatform] = found;
        }

        return new AgentBinaries(paths);
    }

    private static (string? Platform, string Path) Split(string value)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        if (eq > 0 && value[..eq].StartsWith("linux-", StringComparison.Ordinal))
        {
            var platform = value[..eq];
            return (Platforms.Contains(platform) ? platform : null, value[(eq + 1)..]);
        }

        return (OwnPlatform, value);
    }

    // An edge-agent with edge-agent.dll beside it is the apphost of a framework-dependent build (the server's own
    // build output has one, for `edgecloud up`): it cannot run alone on a device, so it is not served.
    private static string? DefaultBeside(string directory)
    {
        var candidate = Path.Combine(directory, FileName);
        return File.Exists(candidate) && !File.Exists(Path.Combine(directory, FileName + ".dll")) ? Path.GetFullPath(candidate) : null;
    }
}
