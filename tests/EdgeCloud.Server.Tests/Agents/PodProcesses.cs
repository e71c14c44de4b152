using System.Text;

namespace EdgeCloud.Server.Tests.Agents;

/// <summary>Host processes of the process runtime, found through /proc: those whose working directory is a pod's directory.</summary>
public static class PodProcesses
{
    /// <summary>The pids of processes named <paramref name="command"/> (comm) running in pod <paramref name="uid"/>'s directory of the agent at <paramref name="dataDirectory"/>.</summary>
    public static List<int> Of(string dataDirectory, string uid, string command)
    {
        var podDirectory = Path.Combine(dataDirectory, "pods", uid);
        return [.. Live().Where(p => p.Cwd == podDirectory && p.Comm == command).Select(static p => p.Pid)];
    }

    /// <summary>The pids of live processes whose working directory is <paramref name="directory"/> or below it.</summary>
    public static List<int> Under(string directory) =>
        [.. Live().Where(p => p.Cwd.StartsWith(directory, StringComparison.Ordinal)).Select(static p => p.Pid)];

    /// <summary>
    /// Kills every process whose working directory is <paramref name="directory"/> or below it: the process runtime's
    /// containers outlive their agent by design (their own sessions), so a test stops them itself.
    /// </summary>
    public static void KillUnder(string directory)
    {
        foreach (var pid in Under(directory))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone meanwhile.
            }
        }
    }

    /// <summary>Every live (non-zombie) process this test may inspect, with its working directory and command name.</summary>
    private static IEnumerable<(int Pid, string Cwd, string Comm)> Live()
    {
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid))
            {
                continue;
            }

            (int, string, string)? found = null;
            try
            {
                var cwd = new DirectoryInfo(Path.Combine(entry, "cwd")).ResolveLinkTarget(returnFinalTarget: false)?.FullName;
                var comm = File.ReadAllText(Path.Combine(entry, "comm"), Encoding.ASCII).Trim();
                var state = File.ReadAllText(Path.Combine(entry, "stat"), Encoding.ASCII).Split(") ")[^1][0];
                if (cwd is not null && state != 'Z')
                {
                    found = (pid, cwd, comm);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to inspect.
            }

            if (found is { } process)
            {
                yield return process;
            }
        }
    }

    /// <summary>True while <paramref name="pid"/> is a live (non-zombie) process.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat", Encoding.ASCII);
            return stat.Split(") ")[^1][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
