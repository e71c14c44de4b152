using System.Globalization;
using System.Runtime.InteropServices;

namespace EdgeCloud.Agent.Runtime.Process;

/// <summary>Reads Linux's process table (/proc) and signals process groups, for processes this agent did not necessarily spawn.</summary>
internal static class HostProcesses
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>
    /// The process's start time in clock ticks since boot (/proc/&lt;pid&gt;/stat field 22), its state letter and its
    /// process group, or false when there is no such process. A pid can be reused once its process is gone; the start
    /// time tells them apart.
    /// </summary>
    public static bool TryReadStat(int pid, out long startTicks, out char state, out int processGroup)
    {
        startTicks = 0;
        state = '?';
        processGroup = 0;
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields are counted after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return false;
        }

        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state), so field 5 (pgrp) is fields[2] and field 22 (starttime) is fields[19].
        if (fields.Length < 20
            || fields[0].Length != 1
            || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out processGroup)
            || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out startTicks))
        {
            return false;
        }

        state = fields[0][0];
        return true;
    }

    /// <summary>
    /// Whether <paramref name="pid"/> is a live (not zombie) process, and the same one that had
    /// <paramref name="expectedStartTicks"/> when that is known.
    /// </summary>
    public static bool IsAlive(int pid, long? expectedStartTicks)
    {
        if (pid <= 0 || !TryReadStat(pid, out var ticks, out var state, out _))
        {
            return false;
        }

        return state is not ('Z' or 'X' or 'x') && (expectedStartTicks is null || expectedStartTicks == ticks);
    }

    /// <summary>Sends <paramref name="signal"/> to every process of the group <paramref name="processGroup"/>; false when the group is gone.</summary>
    public static bool SignalGroup(int processGroup, int signal)
    {
        // kill(-pgid) signals the whole group; never let 0 or 1 through, which would mean "my group" or "everyone".
        return processGroup > 1 && Kill(-processGroup, signal) == 0;
    }

    /// <summary>Whether any live (not zombie) process is in the group <paramref name="processGroup"/> (one scan of /proc).</summary>
    public static bool GroupHasLiveMembers(int processGroup)
    {
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && TryReadStat(pid, out _, out var state, out var group)
                && group == processGroup
                && state is not ('Z' or 'X' or 'x'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>This boot's id (/proc/sys/kernel/random/boot_id), or null when the kernel does not say.</summary>
    public static string? BootId { get; } = ReadBootId();

    /// <summary>Sends <paramref name="signal"/> to the one process <paramref name="pid"/>; false when it is gone.</summary>
    public static bool SignalProcess(int pid, int signal) => pid > 1 && Kill(pid, signal) == 0;

    /// <summary>Whether <paramref name="pid"/> leads its own process group (after setsid), so that signalling the group reaches it.</summary>
    public static bool LeadsProcessGroup(int pid) => TryReadStat(pid, out _, out _, out var processGroup) && processGroup == pid;

    private static string? ReadBootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
