using System.Text;

namespace EdgeCloud.Server.Tests.Agents;

/// <summary>Host processes of the process runtime, found through /proc: those whose working directory is a pod's directory.</summary>
public static class PodProcesses
{
    /// <summary>The pids of processes named <paramref name="command"/> (comm) running in pod <paramref name="uid"/>'s directory of the agent at <paramref name="dataDirectory"/>.</summary>
    public static List<int> Of(string dataDirectory, string uid, string command)
    {
        var podDirectory = Path.Combine(dataDirectory, "pods", uid);
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid))
            {
                continue;
            }

            try
            {
                var cwd = new DirectoryInfo(Path.Combine(entry, "cwd")).ResolveLinkTarget(returnFinalTarget: false)?.FullName;
                var comm = File.ReadAllText(Path.Combine(entry, "comm"), Encoding.ASCII).Trim();
                var state = File.ReadAllText(Path.Combine(entry, "stat"), Encoding.ASCII).Split(") ")[^1][0];
                if (cwd == podDirectory && comm == command && state != 'Z')
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile.
            }
        }

        return found;
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
