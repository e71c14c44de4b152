using System.Globalization;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace EdgeCloud.Agent.Node;

/// <summary>What the node reports about the machine: capacity from /proc, addresses, OS, kernel and architecture.</summary>
internal sealed record NodeFacts
{
    /// <summary>Pods a node accepts (kubelet's default maxPods).</summary>
    public const int MaxPods = 110;

    public required int Cpus { get; init; }

    public required long MemoryBytes { get; init; }

    public required string KernelVersion { get; init; }

    public required string OsImage { get; init; }

    public required string Architecture { get; init; }

    public required string MachineId { get; init; }

    public required string BootId { get; init; }

    public required IReadOnlyList<string> InternalAddresses { get; init; }

    /// <summary>Reads the facts of this machine.</summary>
    public static NodeFacts Read() => new()
    {
        Cpus = Environment.ProcessorCount,
        MemoryBytes = ReadMemTotal(File.Exists("/proc/meminfo") ? File.ReadAllLines("/proc/meminfo") : []),
        KernelVersion = ReadFirstLine("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.Version.ToString(),
        OsImage = ReadOsImage(File.Exists("/etc/os-release") ? File.ReadAllLines("/etc/os-release") : []),
        Architecture = RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "amd64",
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            System.Runtime.InteropServices.Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        },
        MachineId = ReadFirstLine("/etc/machine-id") ?? "",
        BootId = ReadFirstLine("/proc/sys/kernel/random/boot_id") ?? "",
        InternalAddresses = ReadAddresses(),
    };

    /// <summary>MemTotal of /proc/meminfo, in bytes (0 when missing).</summary>
    public static long ReadMemTotal(IEnumerable<string> meminfo)
    {
        foreach (var line in meminfo)
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                var parts = line["MemTotal:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
                {
                    return kib * 1024;
                }
            }
        }

        return 0;
    }

    /// <summary>PRETTY_NAME of /etc/os-release, unquoted ("Linux" when missing).</summary>
    public static string ReadOsImage(IEnumerable<string> osRelease)
    {
        foreach (var line in osRelease)
        {
            if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            {
                return line["PRETTY_NAME=".Length..].Trim('"', '\'');
            }
        }

        return "Linux";
    }

    /// <summary>capacity and allocatable: cpu, memory (Ki), pods, ephemeral-storage left out (not measured).</summary>
    public JsonObject Resources() => new()
    {
        ["cpu"] = Cpus.ToString(CultureInfo.InvariantCulture),
        ["memory"] = (MemoryBytes / 1024).ToString(CultureInfo.InvariantCulture) + "Ki",
        ["pods"] = MaxPods.ToString(CultureInfo.InvariantCulture),
    };

    private static string? ReadFirstLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static List<string> ReadAddresses()
    {
        var addresses = new List<string>();
        foreach (var adapter in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (adapter.OperationalStatus != OperationalStatus.Up || adapter.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            addresses.AddRange(adapter.GetIPProperties().UnicastAddresses
                .Where(static a => a.Address.AddressFamily == AddressFamily.InterNetwork)
                .Select(static a => a.Address.ToString()));
        }

        return addresses.Count > 0 ? addresses : ["127.0.0.1"];
    }
}
